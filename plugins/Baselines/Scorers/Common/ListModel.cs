using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>A one-stage reranking model: features of the whole initial list (and history) in, one logit per candidate out.</summary>
internal abstract class ListModel : Module, IListLearner
{
    protected ListModel(FeatureSchema schema, ListModelOptions options, Rng rng)
    {
        Features = Child("features", new FeatureEncoder(schema, options.EmbeddingDim, rng));
    }

    /// <summary>The feature embedding and flattening.</summary>
    public FeatureEncoder Features { get; }

    /// <summary>How many of the newest history items the model reads (0: none).</summary>
    public virtual int HistoryCap => 0;

    /// <summary>Item logits, <c>[B, N]</c>.</summary>
    public abstract Tensor Forward(EncodedBatch x);

    /// <summary>The longest list the model scores (null: any), written as export metadata.</summary>
    public virtual int? MaxCandidates => null;

    /// <summary>Item logits <c>[batch, n]</c> in <paramref name="graph"/> from the encoded features, as <see cref="Forward"/> at inference.</summary>
    public abstract OnnxValue ToOnnx(OnnxGraph graph, OnnxEncoded x);

    /// <summary>The model's own training loss for item logits against click labels (<c>[B·N]</c>, 0 at padding).</summary>
    public abstract Tensor Loss(Tensor logits, float[] labels, Tensor mask);

    /// <inheritdoc />
    public Tensor TrainingLoss(EncodedBatch x, float[] labels, Tensor? offsets)
    {
        ArgumentNullException.ThrowIfNull(x);
        var logits = Forward(x);
        return Loss(offsets is null ? logits : Ops.Add(logits, offsets), labels, x.ListMask);
    }
}
