using System.Globalization;
using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Conformance;

/// <summary>
/// The conformance suite of step scorers, driven by <see cref="ReferenceGreedy"/>: valid slates, no NaN for free candidates,
/// and scores that depend on each row's prefix only — not on the order of rows or how <see cref="StepRows.Parent"/> shuffles them.
/// </summary>
public abstract class ScorerConformance : ComponentConformance<IStepScorer>
{
    /// <summary>A suite whose derived class overrides <c>Plugin</c> and <c>Component</c>.</summary>
    protected ScorerConformance()
    {
    }

    /// <summary>The suite for <paramref name="component"/> of <paramref name="plugin"/> with <paramref name="paramsYaml"/> (one line per component).</summary>
    protected ScorerConformance(IRerankPlugin plugin, string component, string paramsYaml = "")
        : base(plugin, component, paramsYaml)
    {
    }

    [Fact]
    public void Decode_ReferenceGreedy_ValidSlates()
    {
        var batch = SampleBatch();
        SlateChecks.Check(Component, batch, ReferenceGreedy.Decode(batch, Build(), null, Context()), 1, SlateChecks.Length.ExactlyL);
    }

    [Fact]
    public void Score_FreeCandidates_NoNaN()
    {
        var batch = SampleBatch();
        var scorer = Build();
        using var session = scorer.Begin(batch, Context());
        var rows = new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []);
        var scores = new float[batch.Count * batch.MaxCandidates];
        session.Score(rows, scores);
        for (var b = 0; b < batch.Count; b++)
        {
            for (var c = 0; c < batch.CandidateCounts[b]; c++)
            {
                float.IsNaN(scores[(b * batch.MaxCandidates) + c]).ShouldBeFalse(string.Create(CultureInfo.InvariantCulture, $"{Component}: candidate {c} of request {b} scored NaN"));
            }
        }
    }

    [Fact]
    public void Score_ReorderedRowsAndParents_SameScores()
    {
        var batch = SampleBatch();
        var scorer = Build();
        var inOrder = ScoreThreeSteps(batch, scorer, reverse: false);
        var reversed = ScoreThreeSteps(batch, scorer, reverse: true);
        foreach (var (key, expected) in inOrder)
        {
            var actual = reversed[key];
            for (var c = 0; c < expected.Length; c++)
            {
                var same = expected[c].Equals(actual[c]) || Math.Abs(expected[c] - actual[c]) <= BatchTolerance * Math.Max(1, Math.Abs(expected[c]));
                same.ShouldBeTrue($"{Component}: row {key} scores candidate {c} {expected[c]} in order but {actual[c]} with rows reordered");
            }
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyList<SlateRecord>[] Run(IStepScorer component, RerankBatch batch, RerankContext context) =>
        SlateRecord.Of(ReferenceGreedy.Decode(batch, component, null, context));

    /// <summary>
    /// Step 0: one row per request; step 1: two rows per request (prefixes [0] and [1]); step 2: each extended by the next
    /// free candidate. With <paramref name="reverse"/>, rows of steps 1 and 2 come in reverse order with parents to match.
    /// Returns the free candidates' scores keyed by request and prefix.
    /// </summary>
    private Dictionary<string, float[]> ScoreThreeSteps(RerankBatch batch, IStepScorer scorer, bool reverse)
    {
        var n = batch.MaxCandidates;
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        using var session = scorer.Begin(batch, Context());
        var step0 = Enumerable.Range(0, batch.Count).Select(b => (Request: b, Prefix: Array.Empty<int>(), Parent: -1)).ToList();
        Score(session, 0, step0);
        var step1 = step0.SelectMany((row, r) => new[] { (row.Request, Prefix: new[] { 0 }, Parent: r), (row.Request, Prefix: new[] { 1 }, Parent: r) }).ToList();
        if (reverse)
        {
            step1.Reverse();
        }

        Score(session, 1, step1);
        var step2 = step1.Select((row, r) => (row.Request, Prefix: new[] { row.Prefix[0], 2 }, Parent: r)).ToList();
        if (reverse)
        {
            step2.Reverse();
        }

        Score(session, 2, step2);
        return result;

        void Score(IStepSession s, int step, List<(int Request, int[] Prefix, int Parent)> rows)
        {
            var stepRows = new StepRows(step, [.. rows.Select(x => x.Request)], [.. rows.Select(x => x.Parent)], [.. rows.SelectMany(x => x.Prefix)]);
            var scores = new float[rows.Count * n];
            s.Score(stepRows, scores);
            for (var r = 0; r < rows.Count; r++)
            {
                var (b, prefix, _) = rows[r];
                var free = Enumerable.Range(0, batch.CandidateCounts[b]).Where(c => !prefix.Contains(c)).Select(c => scores[(r * n) + c]).ToArray();
                result[$"{b}:[{string.Join(",", prefix)}]"] = free;
            }
        }
    }
}
