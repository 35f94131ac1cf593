using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>The relevance a post-pass diversifier trades against diversity.</summary>
internal static class Relevance
{
    /// <summary>
    /// Relevance of each item of <paramref name="ranked"/>: its <see cref="Slate.ItemScores"/> when present, otherwise the
    /// named prior of each candidate.
    /// </summary>
    public static double[] Raw(RerankBatch batch, int b, Slate ranked, string prior, string component)
    {
        if (ranked.ItemScores is { } scores)
        {
            return [.. scores.Select(s => (double)s)];
        }

        var index = PriorColumn.Resolve(batch.Schema, prior, component);
        return [.. ranked.Indices.Select(i => (double)PriorColumn.Value(batch, index, b, i))];
    }

    /// <summary>
    /// Min–max normalisation to [0, 1] over the slate's items, so that λ and θ mean the same whatever the scale of the
    /// upstream scores; when all values are equal (or not finite) every item gets 1.
    /// </summary>
    public static double[] Normalized(double[] raw)
    {
        var finite = raw.Where(double.IsFinite).ToList();
        var min = finite.Count == 0 ? 0 : finite.Min();
        var max = finite.Count == 0 ? 0 : finite.Max();
        var range = max - min;
        return [.. raw.Select(v => !double.IsFinite(v) ? (v > 0 ? 1 : 0) : range > 0 ? (v - min) / range : 1)];
    }

    /// <summary>Checks the arguments of <see cref="IDiversifier.Diversify"/>.</summary>
    public static void Check(RerankBatch batch, int request, Slate ranked, int size, string component)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentOutOfRangeException.ThrowIfNegative(request);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(request, batch.Count);
        if (size < 0 || size > ranked.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"{component}: cannot choose {size} items from a slate of {ranked.Count}");
        }
    }
}
