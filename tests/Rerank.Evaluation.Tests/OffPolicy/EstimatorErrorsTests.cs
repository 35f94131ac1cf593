using Rerank.Evaluation.OffPolicy;

namespace Rerank.Evaluation.Tests.OffPolicy;

/// <summary>What the estimators say when the log cannot support them: every message names the estimator and the request.</summary>
public sealed class EstimatorErrorsTests
{
    private static readonly int[][] Targets = [[0, 1], [1, 2]];

    [Fact]
    public void Rips_NoPrefixPropensities_NamesEstimatorRequestAndWhatToRecord()
    {
        var log = Log(new RecordedPolicy(3, 2) { Prefixes = [0.5, 0.25] }, new RecordedPolicy(3, 2));

        Should.Throw<InvalidOperationException>(() => SlateEstimators.Rips(log, Targets)).Message
            .ShouldBe("RIPS needs prefix propensities μ(s₁ … s_k) at position 0; request 1's log has none (record the logging propensity of each position's choice, so that prefix products can be formed)");
    }

    [Fact]
    public void Cdr_NoPrefixPropensities_Throws()
    {
        var log = Log(new RecordedPolicy(3, 2), new RecordedPolicy(3, 2));

        Should.Throw<InvalidOperationException>(() => SlateEstimators.Cdr(log, Targets, new ZeroModel())).Message.ShouldStartWith("CDR needs prefix propensities");
    }

    [Fact]
    public void Ips_NoSlatePropensity_Throws()
    {
        var log = Log(new RecordedPolicy(3, 2), new RecordedPolicy(3, 2));

        Should.Throw<InvalidOperationException>(() => SlateEstimators.Snips(log, Targets)).Message.ShouldStartWith("SNIPS needs slate propensities μ(s); request 0's log has none");
    }

    [Fact]
    public void Iips_NoPositionMarginals_Throws()
    {
        var log = Log(new RecordedPolicy(3, 2) { Marginal = 0.5 }, new RecordedPolicy(3, 2));

        Should.Throw<InvalidOperationException>(() => SlateEstimators.SnIips(log, Targets)).Message.ShouldStartWith("SN-IIPS needs position marginals μ(item at position) at position 0; request 1's log has none");
    }

    [Fact]
    public void Pi_NoPairMarginals_Throws()
    {
        var log = Log(new RecordedPolicy(3, 2), new RecordedPolicy(3, 2));

        Should.Throw<InvalidOperationException>(() => SlateEstimators.Pi(log, Targets)).Message.ShouldStartWith("PI needs pair marginals Γ; request 0's log has none");
    }

    [Fact]
    public void Ips_ZeroProbabilityLoggedSlate_IsInvalid()
    {
        var log = Log(new RecordedPolicy(3, 2) { Slate = 0.5 }, new RecordedPolicy(3, 2) { Slate = 0 });

        Should.Throw<ArgumentException>(() => SlateEstimators.Ips(log, Targets)).Message
            .ShouldBe("IPS: request 1's logging policy gives probability 0 for its logged slate (slate propensities μ(s)); a logged slate must have probability in (0, 1]");
    }

    [Fact]
    public void Rips_PrefixAboveOne_IsInvalid()
    {
        var log = Log(new RecordedPolicy(3, 2) { Prefixes = [1.5, 0.5] }, new RecordedPolicy(3, 2) { Prefixes = [0.5, 0.5] });

        Should.Throw<ArgumentException>(() => SlateEstimators.Rips(log, Targets)).Message.ShouldContain("request 0's logging policy gives probability 1.5 for its logged slate (prefix propensities μ(s₁ … s_k) at position 0)");
    }

    [Fact]
    public void Log_MismatchedInputs_ThrowNamingTheRequest()
    {
        var policy = new RecordedPolicy(3, 2) { Slate = 0.5 };
        LoggedSlate[] log = [new([0, 1], [1, 0], policy), new([1, 2], [0, 0], policy)];

        Should.Throw<ArgumentException>(() => SlateEstimators.Ips(log, [[0, 1]])).Message.ShouldContain("IPS: 1 target slates for 2 logged requests");
        Should.Throw<ArgumentException>(() => SlateEstimators.Ips(log, [[0, 1], [1]])).Message.ShouldContain("request 1's target slate has 1 items");
        Should.Throw<ArgumentException>(() => SlateEstimators.Ips(log, [[0, 1], [2, 2]])).Message.ShouldContain("request 1's target slate holds item 2 twice");
        Should.Throw<ArgumentException>(() => SlateEstimators.Ips(log, [[0, 3], [1, 2]])).Message.ShouldContain("request 0's target slate holds item 3, not one of its 3 candidates");
        Should.Throw<ArgumentException>(() => SlateEstimators.Ips([log[0], new([1, 2], [0], policy)], Targets)).Message.ShouldContain("request 1 has 1 rewards for 2 positions");
        Should.Throw<ArgumentException>(() => SlateEstimators.Ips([log[0], new([1, 2], [0, double.NaN], policy)], Targets)).Message.ShouldContain("request 1 has a reward of NaN");
        Should.Throw<ArgumentException>(() => SlateEstimators.Ips([], [])).Message.ShouldContain("at least one logged request");
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        var log = Log(new RecordedPolicy(3, 2) { Slate = 0.5 }, new RecordedPolicy(3, 2) { Slate = 0.5 });

        Should.Throw<ArgumentOutOfRangeException>(() => SlateEstimators.Ips(log, Targets, new() { Clip = 0 })).ParamName.ShouldBe("Clip");
        Should.Throw<ArgumentOutOfRangeException>(() => SlateEstimators.Ips(log, Targets, new() { Clip = double.NaN })).ParamName.ShouldBe("Clip");
        Should.Throw<ArgumentOutOfRangeException>(() => SlateEstimators.Ips(log, Targets, new() { Level = 1 })).ParamName.ShouldBe("Level");
        Should.Throw<ArgumentOutOfRangeException>(() => SlateEstimators.Ips(log, Targets, new() { BootstrapSamples = 0 })).ParamName.ShouldBe("BootstrapSamples");
    }

    private static LoggedSlate[] Log(RecordedPolicy first, RecordedPolicy second) =>
        [new([0, 1], [1, 0], first), new([1, 0], [0, 1], second)];

    private sealed class ZeroModel : ISlateRewardModel
    {
        public double[] PositionRewards(int request, ReadOnlySpan<int> slate) => new double[slate.Length];
    }
}
