using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// DCN (Wang et al. 2017): a cross network and a deep MLP side by side over x0 = user ⊕ item, their outputs concatenated
/// into a logit; point-wise click BCE. PEAR's experiments use it as the initial ranker.
/// </summary>
internal sealed class DcnModel : ListModel
{
    private readonly CrossNetwork _cross;
    private readonly Mlp _deep;
    private readonly Linear _output;

    public DcnModel(FeatureSchema schema, DcnOptions options, Rng rng)
        : base(schema, options, rng)
    {
        var width = Features.UserWidth + Features.ItemWidth;
        _cross = Child("cross", new CrossNetwork(width, options.CrossLayers, rng));
        _deep = Child("deep", new Mlp([width, options.Hidden, options.Hidden], rng, Activation.Relu, options.Dropout));
        _output = Child("output", new Linear(width + options.Hidden, 1, rng));
    }

    public override Tensor Forward(EncodedBatch x)
    {
        var x0 = x.UserItem();
        var both = Ops.Concat([_cross.Forward(x0), Ops.Relu(_deep.Forward(x0))], 2);
        return Ops.Reshape(_output.Forward(both), new TensorShape(x.Batch, x.Slots));
    }

    public override OnnxValue ToOnnx(OnnxGraph graph, OnnxEncoded x)
    {
        var x0 = x.UserItem(graph);
        var both = graph.Concat(2, _cross.ToOnnx(graph, x0, "cross"), graph.Relu(_deep.ToOnnx(graph, x0, "deep")));
        return graph.Squeeze(_output.ToOnnx(graph, both, "output"), 2);
    }

    public override Tensor Loss(Tensor logits, float[] labels, Tensor mask) => ListLosses.PointwiseBce(logits, labels, mask);
}
