using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// PRM (Pei et al. 2019): input E = [x_i ⊕ pv] projected to d plus a learnable position embedding of the initial rank
/// (§4.2 eqs. 1–2); a stack of Transformer encoder blocks (§4.3); a linear layer and a softmax over the list (§4.4 eq. 5);
/// loss −Σ y_i log P_i (eq. 6). The personalized vector pv is learned end to end from the user features and the mean of the
/// user's history (the paper pre-trains it with a CTR model; a deviation noted in docs/pear.md).
/// </summary>
internal sealed class PrmModel : ListModel
{
    private readonly PrmOptions _options;
    private readonly Linear _personal;
    private readonly Linear _input;
    private readonly Tensor _positions;
    private readonly TransformerEncoder _encoder;
    private readonly Linear _output;

    public PrmModel(FeatureSchema schema, PrmOptions options, Rng rng)
        : base(schema, options, rng)
    {
        _options = options;
        _personal = Child("personal", new Linear(Features.UserWidth + Features.ItemWidth, options.Hidden, rng));
        _input = Child("input", new Linear(Features.ItemWidth + options.Hidden, options.Hidden, rng));
        _positions = Parameter("positions", Tensor.Normal(new TensorShape(options.MaxPositions, options.Hidden), rng, 0.02f));
        _encoder = Child("encoder", new TransformerEncoder(options.Layers, options.Hidden, options.Heads, 2 * options.Hidden, rng, options.Dropout));
        _output = Child("output", new Linear(options.Hidden, 1, rng));
    }

    public override int HistoryCap => _options.HistoryLength;

    public override Tensor Forward(EncodedBatch x)
    {
        var b = x.Batch;
        var n = x.Slots;
        if (n > _options.MaxPositions)
        {
            throw new InvalidOperationException($"prm: a list of {n} candidates exceeds max_positions {_options.MaxPositions}.");
        }

        // pv from the user and the mean of the history.
        var pv = Ops.Tanh(_personal.Forward(Ops.Concat([x.User, x.HistoryMean()], 1)));
        var pvs = Ops.Add(Ops.Reshape(pv, new TensorShape(b, 1, _options.Hidden)), Tensor.Zeros(b, n, _options.Hidden));
        var e = Ops.Add(_input.Forward(Ops.Concat([x.List, pvs], 2)), Ops.Slice(_positions, 0, 0, n));
        var h = _encoder.Forward(e, x.ListMask);
        return Ops.Reshape(_output.Forward(h), new TensorShape(b, n));
    }

    public override int? MaxCandidates => _options.MaxPositions;

    public override OnnxValue ToOnnx(OnnxGraph graph, OnnxEncoded x)
    {
        var pv = graph.Tanh(_personal.ToOnnx(graph, graph.Concat(1, x.User, x.HistoryMeanOrZeros(graph)), "personal"));
        var pvs = graph.Add(graph.Unsqueeze(pv, 1), graph.Unsqueeze(graph.Mul(x.ListMask, graph.Scalar(0f)), -1));
        var positions = graph.Slice(graph.Initializer("positions", OnnxTensor.From(_positions)), graph.Int64s(0), graph.Shape(x.ListMask, 1, 2), 0);
        var e = graph.Add(_input.ToOnnx(graph, graph.Concat(2, x.List, pvs), "input"), positions);
        var h = _encoder.ToOnnx(graph, e, x.ListMask, "encoder");
        return graph.Squeeze(_output.ToOnnx(graph, h, "output"), 2);
    }

    public override Tensor Loss(Tensor logits, float[] labels, Tensor mask) => ListLosses.SoftmaxCrossEntropy(logits, labels, mask, normalise: false);
}
