using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// SetRank (Pang et al. 2020): items embedded without any position (so the model is permutation-invariant), a stack of
/// induced multi-head self-attention blocks IMSAB_m(X) = MAB(X, MAB(I_m, X)) with m learnable inducing points (eq. 6),
/// a linear score per item (eq. 8), and the attention rank loss (eq. 9).
/// </summary>
internal sealed class SetRankModel : ListModel
{
    private readonly SetRankOptions _options;
    private readonly Linear _input;
    private readonly Tensor[] _inducing;
    private readonly MultiheadAttentionBlock[] _gather;
    private readonly MultiheadAttentionBlock[] _scatter;
    private readonly Linear _output;

    public SetRankModel(FeatureSchema schema, SetRankOptions options, Rng rng)
        : base(schema, options, rng)
    {
        _options = options;
        _input = Child("input", new Linear(Features.UserWidth + Features.ItemWidth, options.Hidden, rng));
        _inducing = new Tensor[options.Layers];
        _gather = new MultiheadAttentionBlock[options.Layers];
        _scatter = new MultiheadAttentionBlock[options.Layers];
        for (var l = 0; l < options.Layers; l++)
        {
            _inducing[l] = Parameter($"inducing.{l}", Tensor.Normal(new TensorShape(1, options.Inducing, options.Hidden), rng, 0.1f));
            _gather[l] = Child($"blocks.{l}.induce", new MultiheadAttentionBlock(options.Hidden, options.Heads, options.Dropout, rng));
            _scatter[l] = Child($"blocks.{l}.attend", new MultiheadAttentionBlock(options.Hidden, options.Heads, options.Dropout, rng));
        }

        _output = Child("output", new Linear(options.Hidden, 1, rng));
    }

    public override Tensor Forward(EncodedBatch x)
    {
        var b = x.Batch;
        var h = _input.Forward(x.UserItem());
        for (var l = 0; l < _options.Layers; l++)
        {
            var points = Ops.Add(_inducing[l], Tensor.Zeros(b, _options.Inducing, _options.Hidden));
            var summary = _gather[l].Forward(points, h, x.ListMask);
            h = _scatter[l].Forward(h, summary, null);
        }

        return Ops.Reshape(_output.Forward(h), new TensorShape(b, x.Slots));
    }

    public override OnnxValue ToOnnx(OnnxGraph graph, OnnxEncoded x)
    {
        var h = _input.ToOnnx(graph, x.UserItem(graph), "input");
        var zeros = graph.Unsqueeze(graph.ReduceSum(graph.Mul(x.ListMask, graph.Scalar(0f)), true, 1), -1); // [batch, 1, 1]
        for (var l = 0; l < _options.Layers; l++)
        {
            var points = graph.Add(graph.Initializer($"inducing.{l}", OnnxTensor.From(_inducing[l])), zeros);
            var summary = _gather[l].ToOnnx(graph, points, h, x.ListMask, $"blocks.{l}.induce");
            h = _scatter[l].ToOnnx(graph, h, summary, null, $"blocks.{l}.attend");
        }

        return graph.Squeeze(_output.ToOnnx(graph, h, "output"), 2);
    }

    public override Tensor Loss(Tensor logits, float[] labels, Tensor mask) => ListLosses.SoftmaxCrossEntropy(logits, labels, mask, normalise: true);
}
