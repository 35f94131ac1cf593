using System.Globalization;
using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Conformance;

/// <summary>
/// The conformance suite of diversifiers: the post-pass chooses exactly the asked number of items from the ranked slate
/// (with and without item scores), and in-decoding adjustment keeps decoding valid and scores free of NaN.
/// </summary>
public abstract class DiversifierConformance : ComponentConformance<IDiversifier>
{
    /// <summary>A suite whose derived class overrides <c>Plugin</c> and <c>Component</c>.</summary>
    protected DiversifierConformance()
    {
    }

    /// <summary>The suite for <paramref name="component"/> of <paramref name="plugin"/> with <paramref name="paramsYaml"/> (one line per component).</summary>
    protected DiversifierConformance(IRerankPlugin plugin, string component, string paramsYaml = "")
        : base(plugin, component, paramsYaml)
    {
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Diversify_RankedSlate_ChoosesExactlyLFromIt(bool withItemScores)
    {
        var batch = SampleBatch();
        var diversifier = Build();
        for (var b = 0; b < batch.Count; b++)
        {
            var ranked = Ranked(batch, b, withItemScores);
            var slate = diversifier.Diversify(batch, b, ranked, batch.SlateSizes[b]);
            var where = string.Create(CultureInfo.InvariantCulture, $"{Component}: request {b}, slate {slate}");
            SlateChecks.CheckOne(where, slate.Indices, batch.CandidateCounts[b], batch.SlateSizes[b], SlateChecks.Length.ExactlyL);
            slate.Indices.ShouldAllBe(i => ranked.Indices.Contains(i), $"{where} must choose from the ranked slate");
        }
    }

    [Fact]
    public void Diversify_WholeSlate_IsAPermutation()
    {
        var batch = SampleBatch();
        var diversifier = Build();
        for (var b = 0; b < batch.Count; b++)
        {
            var ranked = Ranked(batch, b, true);
            diversifier.Diversify(batch, b, ranked, ranked.Count).Indices.Order().ShouldBe(ranked.Indices.Order(), $"{Component}: request {b}");
        }
    }

    [Theory]
    [InlineData(StepScoreKind.LogProbability)]
    [InlineData(StepScoreKind.ItemScore)]
    [InlineData(StepScoreKind.PrefixValue)]
    public void Adjust_InDecoding_ValidSlatesAndNoNaN(StepScoreKind kind)
    {
        var batch = SampleBatch();
        var diversifier = Build();
        SlateChecks.Check(Component, batch, ReferenceGreedy.Decode(batch, new ConformanceScorer(kind), diversifier, Context()), 1, SlateChecks.Length.ExactlyL);
        var rows = new StepRows(1, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(0, batch.Count)]);
        var scores = new float[batch.Count * batch.MaxCandidates];
        Array.Fill(scores, 0.5f);
        diversifier.Adjust(batch, rows, scores);
        for (var b = 0; b < batch.Count; b++)
        {
            for (var c = 1; c < batch.CandidateCounts[b]; c++)
            {
                float.IsNaN(scores[(b * batch.MaxCandidates) + c]).ShouldBeFalse(string.Create(CultureInfo.InvariantCulture, $"{Component}: Adjust made candidate {c} of request {b} NaN"));
            }
        }
    }

    /// <summary>Records, per request, the post-pass slate of L and the reference greedy slate with in-decoding adjustment.</summary>
    protected override IReadOnlyList<SlateRecord>[] Run(IDiversifier component, RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(batch);
        var decoded = ReferenceGreedy.Decode(batch, new ConformanceScorer(StepScoreKind.LogProbability), component, context);
        return [.. Enumerable.Range(0, batch.Count).Select(b => (IReadOnlyList<SlateRecord>)
            [SlateRecord.Of(component.Diversify(batch, b, Ranked(batch, b, true), batch.SlateSizes[b])), SlateRecord.Of(decoded[b][0])])];
    }

    /// <summary>All candidates of request <paramref name="b"/> by descending ctr (ties by index), optionally with the ctr values as item scores.</summary>
    protected static Slate Ranked(RerankBatch batch, int b, bool withItemScores)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var ctr = Math.Max(0, batch.Schema.PriorIndex("ctr"));
        var values = Enumerable.Range(0, batch.CandidateCounts[b]).Select(i => batch.Priors[(batch.CandidateOffset(b, i) * batch.PriorCount) + ctr]).ToArray();
        var order = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        return new Slate(order, values.Sum(), withItemScores ? [.. order.Select(i => values[i])] : null);
    }
}
