using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Conformance;

/// <summary>
/// The conformance suite of decoders: for scorers of every <see cref="StepScoreKind"/> (and a stateful scorer that rebuilds
/// prefixes from <see cref="StepRows.Parent"/>), with and without an in-decoding diversifier, slates are valid, distinct,
/// exactly L long and between 1 and K per request.
/// </summary>
public abstract class DecoderConformance : ComponentConformance<IDecoder>
{
    /// <summary>A suite whose derived class overrides <c>Plugin</c> and <c>Component</c>.</summary>
    protected DecoderConformance()
    {
    }

    /// <summary>The suite for <paramref name="component"/> of <paramref name="plugin"/> with <paramref name="paramsYaml"/> (one line per component).</summary>
    protected DecoderConformance(IRerankPlugin plugin, string component, string paramsYaml = "")
        : base(plugin, component, paramsYaml)
    {
    }

    /// <summary>K, slates asked per request.</summary>
    protected virtual int Count => 4;

    /// <summary>The scorer the generic tests decode (default: a prefix-dependent LogProbability scorer).</summary>
    protected virtual IStepScorer Scorer => new ConformanceScorer(StepScoreKind.LogProbability);

    [Theory]
    [InlineData(StepScoreKind.LogProbability)]
    [InlineData(StepScoreKind.ItemScore)]
    [InlineData(StepScoreKind.PrefixValue)]
    public void Decode_EachScorerKind_ValidDistinctSlates(StepScoreKind kind)
    {
        var batch = SampleBatch();
        var slates = Build().Decode(batch, new ConformanceScorer(kind), null, Count, Context());
        SlateChecks.Check(Component, batch, slates, Count, SlateChecks.Length.ExactlyL);
    }

    [Fact]
    public void Decode_StatefulScorer_ParentsMatchPrefixes()
    {
        var batch = SampleBatch();
        var scorer = new ParentCheckingScorer();
        var slates = Build().Decode(batch, scorer, null, Count, Context());
        SlateChecks.Check(Component, batch, slates, Count, SlateChecks.Length.ExactlyL);
        scorer.ScoreCalls.ShouldBeGreaterThanOrEqualTo(batch.SlateSizes.Max(), $"{Component} must score every step");
    }

    [Fact]
    public void Decode_WithDiversifier_AdjustsAndStaysValid()
    {
        var batch = SampleBatch();
        var diversifier = new CategoryPenaltyDiversifier();
        var slates = Build().Decode(batch, new ParentCheckingScorer(StepScoreKind.ItemScore), diversifier, Count, Context());
        SlateChecks.Check(Component, batch, slates, Count, SlateChecks.Length.ExactlyL);
        diversifier.AdjustCalls.ShouldBeGreaterThan(0, $"{Component} must let the diversifier adjust scores in decoding");
    }

    [Fact]
    public void Decode_CountOne_OneValidSlate()
    {
        var batch = SampleBatch();
        SlateChecks.Check(Component, batch, Build().Decode(batch, Scorer, null, 1, Context()), 1, SlateChecks.Length.ExactlyL);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<SlateRecord>[] Run(IDecoder component, RerankBatch batch, RerankContext context) =>
        SlateRecord.Of(component.Decode(batch, Scorer, null, Count, context));
}
