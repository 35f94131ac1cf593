using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Top-k sampling: each of K rows per request draws, at every step, one of the k free candidates with the best adjusted
/// gain with probability ∝ exp(gain / temperature). Duplicate slates are dropped and redrawn, in up to
/// <see cref="MaxRounds"/> rounds, so a request may get fewer than K when few distinct slates are likely (k = 1 gives
/// exactly the greedy slate). Draws come from <see cref="RerankContext.RandomFor"/> per request and are consumed in the
/// request's own row order, so a request's slates do not depend on the rest of the batch. Slates are returned best first
/// (by running score; ties in draw order).
/// </summary>
internal sealed class TopKSamplingDecoder : IDecoder
{
    /// <summary>Rounds of redraws for duplicates.</summary>
    public const int MaxRounds = 4;

    private const string Salt = "baselines/top_k_sampling";
    private readonly TopKSamplingOptions _options;

    public TopKSamplingDecoder(TopKSamplingOptions options, string name)
    {
        _options = options;
        Name = name;
    }

    public string Name { get; }

    public IReadOnlyList<Slate>[] Decode(RerankBatch batch, IStepScorer scorer, IDiversifier? diversifier, int count, RerankContext context)
    {
        DecodeRun.Check(batch, scorer, count, context);
        var random = batch.Requests.Select(r => context.RandomFor(r, Salt)).ToArray();
        var found = Enumerable.Range(0, batch.Count).Select(_ => new List<Slate>()).ToArray();
        var seen = Enumerable.Range(0, batch.Count).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        for (var round = 0; round < MaxRounds; round++)
        {
            var rows = new List<int>();
            for (var b = 0; b < batch.Count; b++)
            {
                rows.AddRange(Enumerable.Repeat(b, count - found[b].Count));
            }

            if (rows.Count == 0)
            {
                break;
            }

            var drawn = Enumerable.Range(0, batch.Count).Select(_ => new List<Slate>()).ToArray();
            DecodeRun.Run(batch, scorer, diversifier, Frontier.Start(rows), context, Choose, (b, slate) => drawn[b].Add(slate));
            for (var b = 0; b < batch.Count; b++)
            {
                foreach (var slate in drawn[b].Where(s => seen[b].Add(string.Join(',', s.Indices))))
                {
                    found[b].Add(slate);
                }
            }
        }

        // OrderBy is stable: equal scores keep draw order.
        return [.. found.Select(list => (IReadOnlyList<Slate>)list.OrderByDescending(s => s.Score).ToList())];

        List<Pick> Choose(Frontier frontier, StepScores scores)
        {
            var picks = new List<Pick>(frontier.Count);
            for (var r = 0; r < frontier.Count; r++)
            {
                var top = scores.Ranked(batch, frontier.Rows, r, _options.K);
                var c = Draw(random[frontier.Rows.Request[r]], top, scores.Adjusted.AsSpan(r * scores.Width, scores.Width));
                picks.Add(scores.PickOf(frontier, r, c));
            }

            return picks;
        }
    }

    private int Draw(Random random, List<int> top, ReadOnlySpan<float> gains)
    {
        // top is sorted best first, so top[0] holds the largest gain; when it is −∞ every choice is equally bad.
        var best = gains[top[0]];
        var weights = new double[top.Count];
        var sum = 0d;
        for (var i = 0; i < top.Count; i++)
        {
            weights[i] = float.IsNegativeInfinity(best) ? 1 : Math.Exp((gains[top[i]] - best) / _options.Temperature);
            sum += weights[i];
        }

        var u = random.NextDouble() * sum;
        for (var i = 0; i < top.Count; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return top[i];
            }
        }

        return top[^1];
    }
}
