using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>
/// A simple diversifier for decoder tests: each item already in the row's prefix with the same category (item categorical
/// field <c>category</c>, else the last item categorical) costs <see cref="Penalty"/>. Counts <see cref="Adjust"/> calls.
/// </summary>
public sealed class CategoryPenaltyDiversifier : IDiversifier
{
    private int _calls;

    /// <summary>Creates the diversifier.</summary>
    public CategoryPenaltyDiversifier(double penalty = 0.5) => Penalty = penalty;

    /// <summary>The cost of each earlier same-category item.</summary>
    public double Penalty { get; }

    /// <summary>Number of <see cref="Adjust"/> calls.</summary>
    public int AdjustCalls => Volatile.Read(ref _calls);

    /// <inheritdoc />
    public string Name => "conformance-category-penalty";

    /// <inheritdoc />
    public Slate Diversify(RerankBatch batch, int request, Slate ranked, int size)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(ranked);
        var chosen = new List<int>();
        var left = ranked.Indices.ToList();
        while (chosen.Count < size)
        {
            var best = left.OrderBy(i => chosen.Count(c => Category(batch, request, c) == Category(batch, request, i))).First();
            chosen.Add(best);
            left.Remove(best);
        }

        return new Slate([.. chosen], ranked.Score);
    }

    /// <inheritdoc />
    public void Adjust(RerankBatch batch, StepRows rows, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rows);
        Interlocked.Increment(ref _calls);
        var n = batch.MaxCandidates;
        for (var r = 0; r < rows.Count; r++)
        {
            var b = rows.Request[r];
            var prefix = rows.Prefix(r).ToArray();
            for (var c = 0; c < batch.CandidateCounts[b]; c++)
            {
                scores[(r * n) + c] -= (float)(Penalty * prefix.Count(p => Category(batch, b, p) == Category(batch, b, c)));
            }
        }
    }

    private static int Category(RerankBatch batch, int b, int i)
    {
        var fields = batch.Schema.Select(FeatureSide.Item, FeatureKind.Categorical);
        if (fields.Length == 0)
        {
            return 0;
        }

        var index = fields.Select(f => f.Name).ToList().IndexOf("category");
        return batch.CandidateCategorical[(batch.CandidateOffset(b, i) * batch.ItemCategoricalCount) + (index < 0 ? fields.Length - 1 : index)];
    }
}
