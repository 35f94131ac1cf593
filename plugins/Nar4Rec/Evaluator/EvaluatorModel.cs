using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>
/// The sequence evaluator of §4.4: the items of a sequence (projected features + a learnable position embedding) go
/// through self-attention + FFN to capture their context, then a linear projection predicts, per position, one logit per
/// target (click, conversion).
/// </summary>
internal sealed class EvaluatorModel : Module
{
    public const int Targets = 2;

    public EvaluatorModel(FeatureSchema schema, EvaluatorOptions o, Rng rng)
    {
        Features = Child("features", new CandidateProjection(schema, o.FieldWidth, o.Dimension, rng));
        Positions = Child("positions", new Embedding(o.Positions, o.Dimension, rng, 0.5f));
        Encoder = Child("encoder", new TransformerEncoder(o.Layers, o.Dimension, o.Heads, o.FeedForward, rng));
        Heads = Child("heads", new Linear(o.Dimension, Targets, rng));
        MaxPositions = o.Positions;
    }

    public CandidateProjection Features { get; }

    public Embedding Positions { get; }

    public TransformerEncoder Encoder { get; }

    public Linear Heads { get; }

    public int MaxPositions { get; }

    /// <summary>
    /// Logits <c>[B·K, L, 2]</c> for <paramref name="index"/> <c>[B, K·L]</c> (candidate slots of K sequences of length L per
    /// request, −1 = padding) with <paramref name="valid"/> <c>[B·K, L]</c>.
    /// </summary>
    public Tensor Logits(RerankBatch batch, int[] index, int k, int length, float[] valid)
    {
        var (x, mask) = Inputs(batch, index, k, length, valid);
        return Logits(x, mask);
    }

    /// <summary>
    /// The part that reads host arrays: the sequences' items (projected features gathered by <paramref name="index"/>)
    /// plus their position embeddings <c>[B·K, L, d]</c>, and the position mask <c>[B·K, L]</c>.
    /// </summary>
    public (Tensor Sequences, Tensor Mask) Inputs(RerankBatch batch, int[] index, int k, int length, float[] valid)
    {
        var b = batch.Count;
        var items = Ops.GatherRows(Features.Forward(batch), index, k * length); // [B, K·L, d]
        var d = items.Shape[2];
        var rows = Ops.Reshape(items, new TensorShape(b * k, length, d));
        var ids = new int[b * k * length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = i % length;
        }

        var x = Ops.Add(rows, Positions.Forward(ids, new TensorShape(b * k, length)));
        return (x, Tensor.FromArray(valid, new TensorShape(b * k, length), Device));
    }

    /// <summary>The encoder and the heads over <see cref="Inputs"/>: device work only.</summary>
    public Tensor Logits(Tensor sequences, Tensor mask) => Heads.Forward(Encoder.Forward(sequences, mask));

    /// <summary>
    /// The model in <paramref name="graph"/> as the evaluator computes it, one row per slate: the slate's items projected
    /// (zero rows at padding) plus the position embeddings, the encoder with padding keys masked, the heads, and per
    /// position the utility <paramref name="clickWeight"/>·σ(click) + <paramref name="conversionWeight"/>·σ(conversion),
    /// 0 at padding — <c>[rows, l]</c>, whose sum over a slate's positions is the engine's slate value. Returns the output
    /// and the declared inputs.
    /// </summary>
    public (OnnxValue Utility, IReadOnlyList<KeyValuePair<string, string>> Inputs) ToOnnx(OnnxGraph graph, double clickWeight, double conversionWeight)
    {
        var projected = Features.ToOnnx(graph, slates: true);
        var mask = projected.Mask;
        var length = graph.Squeeze(graph.Shape(mask, 1, 2), 0);
        var ids = graph.Range(graph.Scalar(0L), length, graph.Scalar(1L));
        var x = graph.Add(projected.Items, graph.Unsqueeze(Positions.ToOnnx(graph, ids, "positions.weight"), 0));
        var logits = Heads.ToOnnx(graph, Encoder.ToOnnx(graph, x, mask, "encoder"), "heads"); // [rows, l, 2]
        var weights = graph.Initializer("utility_weights", OnnxTensor.Floats([(float)clickWeight, (float)conversionWeight], Targets, 1));
        var utility = graph.Squeeze(graph.MatMul(graph.Sigmoid(logits), weights), 2);
        return (graph.Mul(utility, mask), projected.Inputs);
    }
}
