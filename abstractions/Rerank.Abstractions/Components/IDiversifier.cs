namespace Rerank.Abstractions;

/// <summary>Trades relevance for diversity: MMR (max-similarity penalty in a window), DPP (log-det gain).</summary>
public interface IDiversifier : IComponent
{
    /// <summary>
    /// Standalone post-pass: chooses <paramref name="size"/> items from <paramref name="ranked"/> (its items in order of preference,
    /// its <see cref="Slate.ItemScores"/> as relevance when present) and returns them in the diversified order.
    /// </summary>
    Slate Diversify(RerankBatch batch, int request, Slate ranked, int size);

    /// <summary>Inside decoding: adjusts each row's candidate scores (<c>[rows, N]</c>) given the row's prefix.</summary>
    void Adjust(RerankBatch batch, StepRows rows, Span<float> scores);
}
