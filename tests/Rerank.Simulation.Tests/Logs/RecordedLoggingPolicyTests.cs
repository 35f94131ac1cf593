using Rerank.Simulation.Logging;

namespace Rerank.Simulation.Tests.Logs;

public sealed class RecordedLoggingPolicyTests
{
    [Fact]
    public void Probabilities_OfTheShownSlate_ComeFromTheRecordedColumns()
    {
        var policy = new RecordedLoggingPolicy(5, [3, 0, 4], [0.5, 0.4, 0.25], [0.6, 0.3, 0.2], null);

        policy.Candidates.ShouldBe(5);
        policy.SlateSize.ShouldBe(3);
        policy.SlateProbability([3, 0, 4])!.Value.ShouldBe(0.05, 1e-15);
        policy.PrefixProbabilities([3, 0, 4])!.ShouldBe([0.5, 0.2, 0.05], 1e-15);
        policy.PrefixProbabilities([3, 0])!.ShouldBe([0.5, 0.2], 1e-15);
        policy.PositionMarginal(1, 0).ShouldBe(0.3);
    }

    [Fact]
    public void Probabilities_OfAnythingElse_AreUnknown()
    {
        var policy = new RecordedLoggingPolicy(5, [3, 0, 4], [0.5, 0.4, 0.25], [0.6, 0.3, 0.2], null);

        policy.SlateProbability([3, 4, 0]).ShouldBeNull();
        policy.PrefixProbabilities([0, 3]).ShouldBeNull();
        policy.PositionMarginal(1, 3).ShouldBeNull();
        policy.PositionMarginal(3, 0).ShouldBeNull();
        policy.PairMarginals().ShouldBeNull();
    }

    [Fact]
    public void SlateProbability_RecordedSlatePropensity_WinsOverTheProduct()
    {
        new RecordedLoggingPolicy(3, [1, 2], [0.5, 0.5], null, 0.2).SlateProbability([1, 2]).ShouldBe(0.2);
        new RecordedLoggingPolicy(3, [1, 2], null, null, 0.2).PrefixProbabilities([1, 2]).ShouldBeNull();
        new RecordedLoggingPolicy(3, [1, 2], null, null, null).SlateProbability([1, 2]).ShouldBeNull();
        new RecordedLoggingPolicy(3, [1, 2], null, null, null).PositionMarginal(0, 1).ShouldBeNull();
    }

    [Fact]
    public void Constructor_ProbabilityOutsideZeroOne_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new RecordedLoggingPolicy(3, [1, 2], [0.5, 0], null, null));
        Should.Throw<ArgumentOutOfRangeException>(() => new RecordedLoggingPolicy(3, [1, 2], null, null, 1.5));
        Should.Throw<ArgumentException>(() => new RecordedLoggingPolicy(3, [1, 2], [0.5], null, null));
    }
}
