using Rerank.Engine;

namespace Rerank.Plugins.Common;

/// <summary>What <see cref="ListTrainer"/> needs of a list model: its features, its parameters and its own training loss.</summary>
public interface IListLearner
{
    /// <summary>The feature embedding and flattening.</summary>
    FeatureEncoder Features { get; }

    /// <summary>How many of the newest history items the model reads (0: none).</summary>
    int HistoryCap { get; }

    /// <summary>The trainable parameters.</summary>
    IReadOnlyList<Tensor> Parameters();

    /// <summary>Switches dropout and similar on (<paramref name="training"/>) or off.</summary>
    void Train(bool training = true);

    /// <summary>Forward pass and the model's own loss against click labels (<c>[B·N]</c>, 0 at padding).</summary>
    /// <param name="x">The encoded batch.</param>
    /// <param name="labels">Click labels, <c>[B·N]</c>.</param>
    /// <param name="offsets">Logit offsets added to the item logits before the loss (the exposure-position bias), <c>[B, N]</c>, or null.</param>
    Tensor TrainingLoss(EncodedBatch x, float[] labels, Tensor? offsets);
}
