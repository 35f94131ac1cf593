using Rerank.Evaluation.OffPolicy;
using Rerank.Simulation.Logging;

namespace Rerank.Evaluation.Tests.OffPolicy;

/// <summary>
/// A hand-checkable log: N = 3 candidates of Plackett–Luce weights 1, 2, 3 (scores ln w, T = 1), L = 2, four requests
/// and the target slate (1, 2) for each. μ(1,2) = 1/4; μ(1 at 0) = 1/3, μ(2 at 1) = 7/20; μ(1) = 1/3.
/// </summary>
internal static class TinyLog
{
    public static readonly PlackettLuceLoggingPolicy Policy = new([0.0, Math.Log(2), Math.Log(3)], 1.0, 2, seed: 1);

    public static readonly LoggedSlate[] Log =
    [
        new([1, 2], [1, 1], Policy),
        new([1, 0], [0, 1], Policy),
        new([0, 2], [0, 1], Policy),
        new([1, 2], [1, 0], Policy),
    ];

    public static readonly int[][] Targets = [[1, 2], [1, 2], [1, 2], [1, 2]];

    public static OffPolicyOptions Options(double clip = double.PositiveInfinity) => new() { Clip = clip, BootstrapSamples = 200, Seed = 7 };
}

/// <summary>A logging policy that answers only what was "recorded" (null otherwise), for the estimators' error paths.</summary>
internal sealed class RecordedPolicy(int candidates, int slateSize) : ILoggingPolicy
{
    public double? Slate { get; init; }

    public double[]? Prefixes { get; init; }

    public double? Marginal { get; init; }

    public double[,]? Pairs { get; init; }

    public int Candidates => candidates;

    public int SlateSize => slateSize;

    public double? SlateProbability(ReadOnlySpan<int> slate) => Slate;

    public double[]? PrefixProbabilities(ReadOnlySpan<int> slate) => Prefixes;

    public double? PositionMarginal(int position, int item) => Marginal;

    public double[,]? PairMarginals() => Pairs;
}
