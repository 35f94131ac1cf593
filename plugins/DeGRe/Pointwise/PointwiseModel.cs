using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// A pointwise DNN click model: each exposed item's fields (the same embeddings and GLN as DeGRe, one attention head
/// across fields) and its position go through an MLP to one click logit; items never see each other.
/// </summary>
internal sealed class PointwiseModel : Module
{
    public PointwiseModel(FeatureSchema schema, PointwiseOptions options, Rng rng)
    {
        Schema = schema;
        MaxLength = options.MaxLength;
        Features = Child("features", new FeatureProcessing(schema, new FeatureOptions(options.EmbeddingSize, 1, options.HistoryWindow, options.ExcludeFields), rng));
        Positions = Child("positions", new Embedding(options.MaxLength, options.EmbeddingSize, rng, 0.1f));
        Head = Child("head", new Mlp([Features.TokenWidth + options.EmbeddingSize, options.Hidden, options.Hidden / 2, 1], rng));
    }

    public FeatureSchema Schema { get; }

    public int MaxLength { get; }

    public FeatureProcessing Features { get; }

    public Embedding Positions { get; }

    public Mlp Head { get; }

    /// <summary>Click logits [S, T] of S lists of length T; <paramref name="items"/> holds flat slots b·N + i, [S, T].</summary>
    public Tensor Logits(RerankBatch batch, int[] items, int sequences, int length)
    {
        if (length > MaxLength)
        {
            throw new ComponentException($"degre dnn: a slate of {length} items exceeds max_length {MaxLength}");
        }

        var tokens = Features.Forward(batch).Tokens;
        var width = tokens.Shape[2];
        var flat = Ops.Reshape(tokens, new TensorShape(1, tokens.Shape[0] * tokens.Shape[1], width));
        var gathered = Ops.Reshape(Ops.GatherRows(flat, items, items.Length), new TensorShape(sequences, length, width));
        var positions = new int[sequences * length];
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = i % length;
        }

        var x = Ops.Concat([gathered, Positions.Forward(positions, new TensorShape(sequences, length))], 2);
        return Ops.Reshape(Head.Forward(x), new TensorShape(sequences, length));
    }

    /// <summary>
    /// The model in <paramref name="inputs"/>' graph as the evaluator computes it, one row per slate: per position
    /// σ(head(token ‖ position embedding)), the click probability, 0 at padding — <c>[rows, l]</c>, whose sum over a
    /// slate's positions is the slate's value.
    /// </summary>
    public OnnxValue ToOnnx(OnnxInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var g = inputs.Graph;
        var mask = inputs.Get("slate_mask", OnnxType.Float, "rows", "l");
        var ids = g.Range(g.Scalar(0L), g.Squeeze(g.Shape(mask, 1, 2), 0), g.Scalar(1L));
        var positions = g.Add(g.Unsqueeze(g.Mul(mask, g.Scalar(0f)), -1), g.Unsqueeze(Positions.ToOnnx(g, ids, "positions.weight"), 0)); // [rows, l, e]
        var logits = g.Squeeze(Head.ToOnnx(g, g.Concat(2, Features.ToOnnx(inputs, slates: true).Tokens, positions), "head"), 2);
        return g.Mul(g.Sigmoid(logits), mask);
    }
}
