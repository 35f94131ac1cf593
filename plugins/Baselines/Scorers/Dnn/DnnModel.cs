using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>DNN: a point-wise MLP over user ⊕ item → click logit, trained with binary cross-entropy (the ranking stage's model).</summary>
internal sealed class DnnModel : ListModel
{
    private readonly Mlp _mlp;

    public DnnModel(FeatureSchema schema, DnnOptions options, Rng rng)
        : base(schema, options, rng)
    {
        _mlp = Child("mlp", new Mlp([Features.UserWidth + Features.ItemWidth, options.Hidden, options.Hidden, 1], rng, Activation.Relu, options.Dropout));
    }

    public override Tensor Forward(EncodedBatch x) =>
        Ops.Reshape(_mlp.Forward(x.UserItem()), new TensorShape(x.Batch, x.Slots));

    public override OnnxValue ToOnnx(OnnxGraph graph, OnnxEncoded x) =>
        graph.Squeeze(_mlp.ToOnnx(graph, x.UserItem(graph), "mlp"), 2);

    public override Tensor Loss(Tensor logits, float[] labels, Tensor mask) => ListLosses.PointwiseBce(logits, labels, mask);
}
