using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Beam search with batched expansion scoring: at each step every beam of every request is one row of a single
/// <see cref="IStepSession.Score"/> call, so the scorer sees all expansions of the step at once. Each beam keeps its
/// <c>top_k</c> best expansions (pre-truncation, all when 0), then each request keeps the global top B by running score
/// (ties: earlier beam, then lower candidate index). Returns the min(K, B) best distinct final slates, best first.
/// </summary>
internal sealed class BeamDecoder : IDecoder
{
    private readonly BeamOptions _options;

    public BeamDecoder(BeamOptions options, string name)
    {
        _options = options;
        Name = name;
    }

    public string Name { get; }

    public IReadOnlyList<Slate>[] Decode(RerankBatch batch, IStepScorer scorer, IDiversifier? diversifier, int count, RerankContext context)
    {
        DecodeRun.Check(batch, scorer, count, context);
        var finished = Enumerable.Range(0, batch.Count).Select(_ => new List<Slate>()).ToArray();
        var start = Frontier.Start([.. Enumerable.Range(0, batch.Count)]);
        DecodeRun.Run(batch, scorer, diversifier, start, context, Choose, (b, slate) => finished[b].Add(slate));

        // Picks of a request arrive best first and every beam finishes at the same step, so each list is already sorted.
        return [.. finished.Select(list => (IReadOnlyList<Slate>)list.Take(count).ToList())];

        List<Pick> Choose(Frontier frontier, StepScores scores)
        {
            var picks = new List<Pick>();
            var rows = frontier.Rows;
            var r = 0;
            while (r < frontier.Count)
            {
                // Rows of one request are contiguous: the frontier is built request by request.
                var b = rows.Request[r];
                var expansions = new List<Pick>();
                for (; r < frontier.Count && rows.Request[r] == b; r++)
                {
                    foreach (var c in scores.Ranked(batch, rows, r, _options.TopK))
                    {
                        expansions.Add(scores.PickOf(frontier, r, c));
                    }
                }

                expansions.Sort(static (x, y) => x.Total != y.Total
                    ? y.Total.CompareTo(x.Total)
                    : x.Row != y.Row ? x.Row.CompareTo(y.Row) : x.Candidate.CompareTo(y.Candidate));
                picks.AddRange(expansions.Take(_options.Width));
            }

            return picks;
        }
    }
}
