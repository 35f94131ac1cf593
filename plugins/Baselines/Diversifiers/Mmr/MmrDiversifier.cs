using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Maximal marginal relevance (Carbonell &amp; Goldstein 1998) with a sliding window: the next item maximises
/// λ·rel(i) − (1 − λ)·max_{j ∈ last w selected} cos(e_i, e_j) (the max is 0 for the first item).
/// Post-pass relevance is min–max normalised to [0, 1] over the ranked slate (<see cref="Relevance.Normalized"/>), so it
/// is on the scale of cosine similarity; in decoding, the scorer's step gains are used as they are. Ties go to the item
/// ranked earlier.
/// </summary>
internal sealed class MmrDiversifier : IDiversifier
{
    private readonly MmrOptions _options;

    public MmrDiversifier(MmrOptions options, string name)
    {
        _options = options;
        Name = name;
    }

    public string Name { get; }

    public Slate Diversify(RerankBatch batch, int request, Slate ranked, int size)
    {
        Relevance.Check(batch, request, ranked, size, Name);
        var raw = Relevance.Raw(batch, request, ranked, _options.Prior, Name);
        var relevance = Relevance.Normalized(raw);

        // Only similarities to the chosen items are ever needed: one row per pick (size·|ranked| dot products) rather than
        // the whole n×n matrix; each entry equals the matrix's bit for bit.
        var unit = Similarity.UnitVectors(batch, request, Name);
        var width = batch.EmbeddingWidth;
        var items = ranked.Indices;
        var taken = new bool[items.Length];
        var rows = new double[size * items.Length];
        var indices = new int[size];
        var scores = new float[size];
        var objective = 0d;
        for (var t = 0; t < size; t++)
        {
            var from = _options.Window > 0 ? Math.Max(0, t - _options.Window) : 0;
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var k = 0; k < items.Length; k++)
            {
                if (taken[k])
                {
                    continue;
                }

                var max = double.NegativeInfinity;
                for (var s = from; s < t; s++)
                {
                    max = Math.Max(max, rows[(s * items.Length) + k]);
                }

                var value = (_options.Lambda * relevance[k]) - ((1 - _options.Lambda) * (t == from ? 0 : max));
                if (best < 0 || value > bestValue)
                {
                    best = k;
                    bestValue = value;
                }
            }

            taken[best] = true;
            indices[t] = items[best];
            scores[t] = (float)raw[best];
            objective += bestValue;
            if (t + 1 < size)
            {
                var row = rows.AsSpan(t * items.Length, items.Length);
                for (var k = 0; k < items.Length; k++)
                {
                    row[k] = taken[k] ? 0 : Similarity.Dot(unit, width, items[k], items[best]);
                }
            }
        }

        return new Slate(indices, objective, scores);
    }

    public void Adjust(RerankBatch batch, StepRows rows, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rows);
        var width = batch.MaxCandidates;
        for (var r = 0; r < rows.Count; r++)
        {
            var b = rows.Request[r];
            var n = batch.CandidateCounts[b];
            var sim = Similarity.Of(batch, b, Name);
            var prefix = rows.Prefix(r).ToArray();
            var row = scores.Slice(r * width, width);
            for (var c = 0; c < n; c++)
            {
                row[c] = (float)((_options.Lambda * row[c]) - ((1 - _options.Lambda) * MaxSimilarity(sim, n, c, prefix)));
            }
        }
    }

    private double MaxSimilarity(double[] sim, int n, int item, IReadOnlyList<int> chosen)
    {
        var from = _options.Window > 0 ? Math.Max(0, chosen.Count - _options.Window) : 0;
        var max = double.NegativeInfinity;
        for (var s = from; s < chosen.Count; s++)
        {
            max = Math.Max(max, sim[(item * n) + chosen[s]]);
        }

        return chosen.Count == from ? 0 : max;
    }
}
