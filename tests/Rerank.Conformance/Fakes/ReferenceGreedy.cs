using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>
/// A minimal greedy decoder, independent of any plugin, to drive scorers and in-decoding diversifiers under test:
/// gains are the scores (PrefixValue: V(prefix + c) − V(prefix)), the diversifier adjusts them, the best free candidate
/// (ties: lower index) is appended.
/// </summary>
public static class ReferenceGreedy
{
    /// <summary>One slate of each request's L items.</summary>
    public static IReadOnlyList<Slate>[] Decode(RerankBatch batch, IStepScorer scorer, IDiversifier? diversifier, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(scorer);
        var n = batch.MaxCandidates;
        var lengths = Enumerable.Range(0, batch.Count).Select(b => Math.Min(batch.SlateSizes[b], batch.CandidateCounts[b])).ToArray();
        var prefixes = Enumerable.Range(0, batch.Count).Select(_ => new List<int>()).ToArray();
        var value = new double[batch.Count];
        var total = new double[batch.Count];
        using var session = scorer.Begin(batch, context);
        var active = Enumerable.Range(0, batch.Count).ToArray();
        var parents = Enumerable.Repeat(-1, batch.Count).ToArray();
        for (var t = 0; active.Length > 0; t++)
        {
            var rows = new StepRows(t, active, parents, [.. active.SelectMany(b => prefixes[b])]);
            var gains = new float[active.Length * n];
            session.Score(rows, gains);
            for (var r = 0; r < active.Length; r++)
            {
                for (var c = 0; c < n && scorer.Kind == StepScoreKind.PrefixValue; c++)
                {
                    gains[(r * n) + c] = (float)(gains[(r * n) + c] - value[active[r]]);
                }
            }

            var adjusted = (float[])gains.Clone();
            diversifier?.Adjust(batch, rows, adjusted);
            var next = new List<int>();
            var nextParents = new List<int>();
            for (var r = 0; r < active.Length; r++)
            {
                var b = active[r];
                var best = -1;
                for (var c = 0; c < batch.CandidateCounts[b]; c++)
                {
                    if (!prefixes[b].Contains(c) && (best < 0 || adjusted[(r * n) + c] > adjusted[(r * n) + best]))
                    {
                        best = c;
                    }
                }

                prefixes[b].Add(best);
                value[b] += gains[(r * n) + best];
                total[b] += adjusted[(r * n) + best];
                if (prefixes[b].Count < lengths[b])
                {
                    next.Add(b);
                    nextParents.Add(r);
                }
            }

            active = [.. next];
            parents = [.. nextParents];
        }

        return [.. Enumerable.Range(0, batch.Count).Select(b => (IReadOnlyList<Slate>)[new Slate([.. prefixes[b]], total[b])])];
    }
}
