using Rerank.Evaluation.OffPolicy;
using Rerank.Simulation.Logging;

namespace Rerank.Evaluation.Tests.OffPolicy;

/// <summary>The pseudo-inverse estimator: where it reduces to IPS by hand, and its defining identity E_μ[w(s) 1_s] = 1_a.</summary>
public sealed class PseudoInverseTests
{
    [Fact]
    public void Pi_SinglePosition_EqualsIpsByHand()
    {
        // L = 1: Γ = diag(1/6, 1/3, 1/2), so w = 1[s = a] / μ(s).
        var policy = new PlackettLuceLoggingPolicy([0.0, Math.Log(2), Math.Log(3)], 1.0, 1, seed: 1);
        LoggedSlate[] log = [new([1], [1], policy), new([2], [1], policy), new([1], [0], policy)];
        int[][] targets = [[1], [1], [2]];

        var pi = SlateEstimators.Pi(log, targets, TinyLog.Options());
        var snpi = SlateEstimators.SnPi(log, targets, TinyLog.Options());

        pi.Value.ShouldBe((3 + 0 + 0) / 3.0, 1e-9);
        snpi.Value.ShouldBe(3 / (3 + 0 + 0.0), 1e-9);
        pi.EffectiveSampleSize.ShouldBe(1.0, 1e-9);
    }

    [Fact]
    public void Pi_OneLogForSeveralTargets_EqualsAFreshLogPerTarget()
    {
        // Γ⁺ 1_s is kept per logged request; each pipeline's targets on the same log must get their own weights.
        var policy = TinyLog.Policy;
        int[][] slates = [[0, 1], [0, 2], [1, 0], [1, 2], [2, 0], [2, 1]];
        var log = slates.Select((s, i) => new LoggedSlate(s, [i % 2, 1], policy)).ToArray();

        foreach (var target in slates)
        {
            var targets = Enumerable.Repeat(target, log.Length).ToArray();
            var shared = SlateEstimators.Pi(log, targets, TinyLog.Options());
            var sharedSn = SlateEstimators.SnPi(log, targets, TinyLog.Options());
            var fresh = SlateEstimators.Pi([.. log.Select(e => e with { })], targets, TinyLog.Options());
            var freshSn = SlateEstimators.SnPi([.. log.Select(e => e with { })], targets, TinyLog.Options());

            shared.Value.ShouldBe(fresh.Value, 1e-12);
            shared.Low.ShouldBe(fresh.Low, 1e-12);
            sharedSn.Value.ShouldBe(freshSn.Value, 1e-12);
        }
    }

    [Fact]
    public void Pi_TwoOfTwo_EqualsIpsByHand()
    {
        // L = N = 2: 1_(0,1) = (1,0,0,1) and 1_(1,0) = (0,1,1,0) are orthogonal, so Γ⁺ = u uᵀ/(4p) + v vᵀ/(4(1 − p)).
        var policy = new PlackettLuceLoggingPolicy([Math.Log(3), 0.0], 1.0, 2, seed: 1);
        LoggedSlate[] log = [new([0, 1], [1, 0], policy), new([1, 0], [1, 1], policy)];
        int[][] targets = [[0, 1], [0, 1]];

        var estimate = SlateEstimators.Pi(log, targets, TinyLog.Options());

        estimate.Value.ShouldBe(((1 / 0.75) + 0) / 2, 1e-9);
    }

    [Fact]
    public void Pi_AdditiveRewards_ExpectationOverAllSlatesIsExact()
    {
        // Σ_s μ(s) w(s) R(s) = R(a) for additive R: each slate of N = 3, L = 2 once, its rewards scaled by 6 μ(s).
        var policy = TinyLog.Policy;
        double[,] phi = { { 0.2, 0.7, 0.4 }, { 0.1, 0.3, 0.9 } };
        var slates = new List<int[]>();
        for (var a = 0; a < 3; a++)
        {
            for (var b = 0; b < 3; b++)
            {
                if (a != b)
                {
                    slates.Add([a, b]);
                }
            }
        }

        foreach (var target in slates)
        {
            var log = slates.Select(s => new LoggedSlate(s, [6 * policy.SlateProbability(s)!.Value * phi[0, s[0]], 6 * policy.SlateProbability(s)!.Value * phi[1, s[1]]], policy)).ToArray();

            var estimate = SlateEstimators.Pi(log, Enumerable.Repeat(target, 6).ToArray(), TinyLog.Options());

            estimate.Value.ShouldBe(phi[0, target[0]] + phi[1, target[1]], 1e-9, $"target ({target[0]}, {target[1]})");
        }
    }

    [Fact]
    public void Pi_Clipped_CapsFromAbove()
    {
        var policy = new PlackettLuceLoggingPolicy([0.0, Math.Log(2), Math.Log(3)], 1.0, 1, seed: 1);
        LoggedSlate[] log = [new([1], [1], policy), new([0], [1], policy)];

        var estimate = SlateEstimators.Pi(log, [[1], [0]], TinyLog.Options(clip: 4));

        estimate.Value.ShouldBe((3 + 4) / 2.0, 1e-9);
        estimate.Clipped.ShouldBe(1);
    }

    [Fact]
    public void Pi_LargeSlateSpace_RefusesNamingTheSize()
    {
        var policy = new RecordedPolicy(42, 10);
        int[] slate = [.. Enumerable.Range(0, 10)];

        Should.Throw<NotSupportedException>(() => SlateEstimators.Pi([new(slate, new double[10], policy)], [slate], TinyLog.Options()))
            .Message.ShouldContain("L·N = 10·42 = 420");
    }
}
