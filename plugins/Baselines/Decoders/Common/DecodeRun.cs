using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>The step loop shared by the decoders: score the frontier, let the decoder choose extensions, advance.</summary>
internal static class DecodeRun
{
    /// <summary>The slate length of each request: its L, capped by its candidate count.</summary>
    public static int[] Lengths(RerankBatch batch) =>
        [.. Enumerable.Range(0, batch.Count).Select(b => Math.Min(batch.SlateSizes[b], batch.CandidateCounts[b]))];

    /// <summary>
    /// Decodes from <paramref name="start"/> until every row has finished; <paramref name="choose"/> gets each step's frontier
    /// and scores and returns the extensions to keep, grouped by request. Finished slates go to <paramref name="finished"/>.
    /// </summary>
    public static void Run(
        RerankBatch batch,
        IStepScorer scorer,
        IDiversifier? diversifier,
        Frontier start,
        RerankContext context,
        Func<Frontier, StepScores, IReadOnlyList<Pick>> choose,
        Action<int, Slate> finished)
    {
        var lengths = Lengths(batch);
        using var session = scorer.Begin(batch, context);
        var frontier = start;
        while (frontier.Count > 0)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var scores = StepScores.Compute(batch, scorer, session, diversifier, frontier);
            frontier = frontier.Extend(choose(frontier, scores), lengths, finished);
        }
    }

    /// <summary>Checks the arguments every decoder takes.</summary>
    public static void Check(RerankBatch batch, IStepScorer scorer, int count, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
    }
}
