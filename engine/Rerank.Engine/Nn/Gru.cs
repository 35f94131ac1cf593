using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>
/// A single-layer GRU (Cho et al.; PyTorch gate layout r, z, n):
/// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
/// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
/// </summary>
public sealed class Gru : Module
{
    /// <summary>Creates the layer.</summary>
    public Gru(int inputSize, int hiddenSize, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        HiddenSize = hiddenSize;
        InputToHidden = Child("input", new Linear(inputSize, 3 * hiddenSize, rng));
        HiddenToHidden = Child("hidden", new Linear(hiddenSize, 3 * hiddenSize, rng));
    }

    /// <summary>The hidden width.</summary>
    public int HiddenSize { get; }

    /// <summary>[W_ir; W_iz; W_in] and their biases.</summary>
    public Linear InputToHidden { get; }

    /// <summary>[W_hr; W_hz; W_hn] and their biases.</summary>
    public Linear HiddenToHidden { get; }

    /// <summary>One step: x [B, in], h [B, H] → h' [B, H].</summary>
    public Tensor Step(Tensor x, Tensor h)
    {
        var gi = InputToHidden.Forward(x);
        var gh = HiddenToHidden.Forward(h);
        var hs = HiddenSize;
        var r = Ops.Sigmoid(Ops.Add(Ops.Slice(gi, -1, 0, hs), Ops.Slice(gh, -1, 0, hs)));
        var z = Ops.Sigmoid(Ops.Add(Ops.Slice(gi, -1, hs, hs), Ops.Slice(gh, -1, hs, hs)));
        var n = Ops.Tanh(Ops.Add(Ops.Slice(gi, -1, 2 * hs, hs), Ops.Mul(r, Ops.Slice(gh, -1, 2 * hs, hs))));

        // h' = n + z ⊙ (h − n)
        return Ops.Add(n, Ops.Mul(z, Ops.Sub(h, n)));
    }

    /// <summary>Runs over x [B, T, in] from <paramref name="initial"/> (zeros when null); returns all states [B, T, H] and the last [B, H].</summary>
    public (Tensor Outputs, Tensor Last) Forward(Tensor x, Tensor? initial = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3)
        {
            throw new ArgumentException($"Gru expects [B, T, in], got {x.Shape}.", nameof(x));
        }

        var b = x.Shape[0];
        var steps = x.Shape[1];
        var h = initial ?? Tensor.Zeros(new TensorShape(b, HiddenSize), x.Device);
        var outputs = new Tensor[steps];
        for (var t = 0; t < steps; t++)
        {
            var xt = Ops.Reshape(Ops.Slice(x, 1, t, 1), new TensorShape(b, x.Shape[2]));
            h = Step(xt, h);
            outputs[t] = Ops.Reshape(h, new TensorShape(b, 1, HiddenSize));
        }

        return (Ops.Concat(outputs, 1), h);
    }

    /// <summary>
    /// The layer over x <c>[batch, t, in]</c> from zero states in <paramref name="graph"/>, as <see cref="Forward"/>: one ONNX
    /// GRU node with <c>linear_before_reset = 1</c> (its n gate is tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), this layer's) and the
    /// gates reordered from r, z, n to ONNX's z, r, h. <paramref name="lengths"/>: int32 <c>[batch]</c>, row b runs its first
    /// lengths[b] steps and its later states are zeros; null: every row runs all t steps. Returns every state, <c>[batch, t, H]</c>;
    /// weights named after <paramref name="name"/>.
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x, OnnxValue? lengths, string name)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(x);
        var hs = HiddenSize;
        var w = graph.Initializer($"{name}.input.weight", OnnxTensor.Floats(Gates(InputToHidden.Weight.ToArray()), 1, 3 * hs, InputToHidden.InFeatures));
        var r = graph.Initializer($"{name}.hidden.weight", OnnxTensor.Floats(Gates(HiddenToHidden.Weight.ToArray()), 1, 3 * hs, hs));
        var b = graph.Initializer($"{name}.bias", OnnxTensor.Floats([.. Gates(Bias(InputToHidden)), .. Gates(Bias(HiddenToHidden))], 1, 6 * hs));
        var sequence = graph.Transpose(x, 1, 0, 2);
        var y = graph.Node(
            "GRU",
            lengths is null ? [sequence, w, r, b] : [sequence, w, r, b, lengths],
            OnnxAttribute.Int("hidden_size", hs),
            OnnxAttribute.Int("linear_before_reset", 1));

        // Y [t, directions = 1, batch, H] → [batch, t, H].
        return graph.Transpose(graph.Squeeze(y, 1), 1, 0, 2);

        float[] Bias(Linear layer) => layer.Bias?.ToArray() ?? new float[3 * hs];

        // Rows (or entries) of the three gate blocks r, z, n in ONNX's order z, r, h.
        float[] Gates(float[] values)
        {
            var block = values.Length / 3;
            return [.. values.AsSpan(block, block), .. values.AsSpan(0, block), .. values.AsSpan(2 * block, block)];
        }
    }
}
