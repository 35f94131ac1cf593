using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Greedy decoding: one row per request; at each step the free candidate with the highest adjusted gain (ties: lower
/// index) is appended. Returns one slate per request whatever K is (greedy has exactly one answer).
/// </summary>
internal sealed class GreedyDecoder : IDecoder
{
    public GreedyDecoder(string name) => Name = name;

    public string Name { get; }

    public IReadOnlyList<Slate>[] Decode(RerankBatch batch, IStepScorer scorer, IDiversifier? diversifier, int count, RerankContext context)
    {
        DecodeRun.Check(batch, scorer, count, context);
        var slates = new Slate[batch.Count];
        var start = Frontier.Start([.. Enumerable.Range(0, batch.Count)]);
        DecodeRun.Run(batch, scorer, diversifier, start, context, Choose, (b, slate) => slates[b] = slate);
        return [.. slates.Select(s => (IReadOnlyList<Slate>)[s])];

        List<Pick> Choose(Frontier frontier, StepScores scores)
        {
            var picks = new List<Pick>(frontier.Count);
            for (var r = 0; r < frontier.Count; r++)
            {
                picks.Add(scores.PickOf(frontier, r, scores.Ranked(batch, frontier.Rows, r, 1)[0]));
            }

            return picks;
        }
    }
}
