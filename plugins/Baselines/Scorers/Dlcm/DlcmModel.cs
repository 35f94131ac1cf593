using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// DLCM (Ai et al. 2018): item vectors x'_i = tanh(W_z x_i + b_z) of user ⊕ item (§4.1 eq. 5, tanh as
/// the activation) are fed to a GRU from the bottom of the initial list to the top (§4.1, so the top items weigh most on the
/// final state s_n); the local ranking function scores each output o_i against s_n: φ(o_i, s_n) = V_φᵀ (o_i ⊙ tanh(W_φ s_n + b_φ))
/// (§4.1 eq. 7). Trained with the attention rank loss (§4.2).
/// </summary>
internal sealed class DlcmModel : ListModel
{
    private readonly Linear _input;
    private readonly Gru _gru;
    private readonly Linear _state;
    private readonly Linear _score;

    public DlcmModel(FeatureSchema schema, DlcmOptions options, Rng rng)
        : base(schema, options, rng)
    {
        _input = Child("input", new Linear(Features.UserWidth + Features.ItemWidth, options.Hidden, rng));
        _gru = Child("gru", new Gru(options.Hidden, options.Hidden, rng));
        _state = Child("state", new Linear(options.Hidden, options.Hidden, rng));
        _score = Child("score", new Linear(options.Hidden, 1, rng, bias: false));
    }

    public override Tensor Forward(EncodedBatch x)
    {
        var b = x.Batch;
        var n = x.Slots;
        var hidden = _gru.HiddenSize;
        var z = Ops.Tanh(_input.Forward(x.UserItem()));

        // Reverse each list (bottom first), left-aligned; -1 pads with zero rows.
        var reversed = new int[b * n];
        var back = new int[b * n];
        var steps = new float[n][];
        for (var t = 0; t < n; t++)
        {
            steps[t] = new float[b];
        }

        for (var r = 0; r < b; r++)
        {
            var count = x.Counts[r];
            for (var t = 0; t < n; t++)
            {
                reversed[(r * n) + t] = t < count ? count - 1 - t : -1;
                back[(r * n) + t] = t < count ? count - 1 - t : 0;
                steps[t][r] = t < count ? 1f : 0f;
            }
        }

        var sequence = Ops.GatherRows(z, reversed, n);
        var h = Tensor.Zeros(b, hidden);
        var outputs = new Tensor[n];
        for (var t = 0; t < n; t++)
        {
            var xt = Ops.Reshape(Ops.Slice(sequence, 1, t, 1), new TensorShape(b, hidden));
            var next = _gru.Step(xt, h);

            // Padding steps keep the state: h = h + m_t (h' − h).
            var m = Tensor.FromArray(steps[t], new TensorShape(b, 1));
            h = Ops.Add(h, Ops.Mul(m, Ops.Sub(next, h)));
            outputs[t] = Ops.Reshape(h, new TensorShape(b, 1, hidden));
        }

        var o = Ops.GatherRows(Ops.Concat(outputs, 1), back, n);
        var gate = Ops.Tanh(_state.Forward(h));
        var local = Ops.Mul(o, Ops.Reshape(gate, new TensorShape(b, 1, hidden)));
        return Ops.Reshape(_score.Forward(local), new TensorShape(b, n));
    }

    /// <summary>
    /// The model in <paramref name="graph"/>, as <see cref="Forward"/>: each list's first count items reversed
    /// (ReverseSequence), one GRU node over them with the counts as sequence lengths (a shorter list's state is not moved
    /// by its padding steps), and the states reversed back, so position 0 holds the final state s_n. Padding positions
    /// score 0 (the engine gives them a value that nothing reads); a list of no candidates runs one step.
    /// </summary>
    public override OnnxValue ToOnnx(OnnxGraph graph, OnnxEncoded x)
    {
        var z = graph.Tanh(_input.ToOnnx(graph, x.UserItem(graph), "input"));
        var counts = graph.Max(graph.Cast(graph.ReduceSum(x.ListMask, false, 1), OnnxType.Int64), graph.Scalar(1L));
        var states = _gru.ToOnnx(graph, graph.ReverseSequence(z, counts, 0, 1), graph.Cast(counts, OnnxType.Int32), "gru");
        var o = graph.ReverseSequence(states, counts, 0, 1);
        var gate = graph.Tanh(_state.ToOnnx(graph, graph.Gather(o, graph.Scalar(0L), axis: 1), "state"));
        return graph.Squeeze(_score.ToOnnx(graph, graph.Mul(o, graph.Unsqueeze(gate, 1)), "score"), 2);
    }

    public override Tensor Loss(Tensor logits, float[] labels, Tensor mask) => ListLosses.SoftmaxCrossEntropy(logits, labels, mask, normalise: true);
}
