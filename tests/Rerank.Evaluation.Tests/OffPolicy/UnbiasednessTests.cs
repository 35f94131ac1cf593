using Rerank.Evaluation.OffPolicy;
using Rerank.Runtime.Randomness;
using Rerank.Simulation.Logging;

namespace Rerank.Evaluation.Tests.OffPolicy;

/// <summary>
/// The estimators on tiny simulated worlds with a known V(π): N = 4 items of click probabilities p, L = 2, slates logged
/// by a Plackett–Luce policy, 10,000 requests under a fixed seed, 99% intervals. Asserted: what theory guarantees for
/// each estimator in each world (unbiased ones cover the truth), and that IIPS's bias in the cascade world, computed
/// exactly by enumeration, is large and visible.
/// </summary>
public sealed class UnbiasednessTests
{
    private const int Requests = 10000;
    private static readonly double[] Click = [0.8, 0.1, 0.5, 0.3];
    private static readonly int[] Target = [1, 0];
    private static readonly PlackettLuceLoggingPolicy Logger = new([0.5, 0.0, -0.3, 0.2], 1.0, 2, seed: 3);
    private static readonly OffPolicyOptions Options = new() { Level = 0.99, BootstrapSamples = 200, Seed = 11 };

    [Fact]
    public void CascadeWorld_IpsRipsAndCdrCoverTheTruth_IipsIsVisiblyBiased()
    {
        // A click at position 0 ends the session; position 1 is seen only without one: E[r₁ | s] = (1 − p(s₀)) p(s₁).
        var truth = CascadeMeans(Target).Sum();
        var (log, targets) = Simulate(CascadeClicks, seed: 2026);

        var ips = SlateEstimators.Ips(log, targets, Options);
        var rips = SlateEstimators.Rips(log, targets, Options);
        var cdr = SlateEstimators.Cdr(log, targets, new WrongModel(), Options);
        var iips = SlateEstimators.Iips(log, targets, Options);

        truth.ShouldBe(0.82, 1e-12);
        ips.ShouldSatisfyAllConditions(() => ips.Low.ShouldBeLessThanOrEqualTo(truth), () => ips.High.ShouldBeGreaterThanOrEqualTo(truth));
        rips.ShouldSatisfyAllConditions(() => rips.Low.ShouldBeLessThanOrEqualTo(truth), () => rips.High.ShouldBeGreaterThanOrEqualTo(truth));
        cdr.ShouldSatisfyAllConditions(() => cdr.Low.ShouldBeLessThanOrEqualTo(truth), () => cdr.High.ShouldBeGreaterThanOrEqualTo(truth));
        var iipsMean = ExpectedIips(CascadeMeans);
        (iipsMean - truth).ShouldBeLessThan(-0.1, "IIPS credits position 1 with the average of its item's reward over the logged tops");
        iips.High.ShouldBeLessThan(truth);
        iips.ShouldSatisfyAllConditions(() => iips.Low.ShouldBeLessThanOrEqualTo(iipsMean), () => iips.High.ShouldBeGreaterThanOrEqualTo(iipsMean));
    }

    [Fact]
    public void AdditiveWorld_EveryUnbiasedEstimatorCoversTheTruth()
    {
        // Each position clicked independently: E[r_k | s] = θ_k p(s_k), so IIPS and PI are unbiased too.
        var truth = AdditiveMeans(Target).Sum();
        var (log, targets) = Simulate(AdditiveClicks, seed: 7);

        ExpectedIips(AdditiveMeans).ShouldBe(truth, 1e-12);
        foreach (var estimate in new[]
        {
            SlateEstimators.Ips(log, targets, Options), SlateEstimators.Iips(log, targets, Options), SlateEstimators.Rips(log, targets, Options),
            SlateEstimators.Pi(log, targets, Options), SlateEstimators.Cdr(log, targets, new WrongModel(), Options),
        })
        {
            estimate.Low.ShouldBeLessThanOrEqualTo(truth, estimate.Estimator);
            estimate.High.ShouldBeGreaterThanOrEqualTo(truth, estimate.Estimator);
        }
    }

    private static double[] CascadeMeans(int[] s) => [Click[s[0]], (1 - Click[s[0]]) * Click[s[1]]];

    private static double[] AdditiveMeans(int[] s) => [Click[s[0]], 0.6 * Click[s[1]]];

    /// <summary>A click at position 0 ends the session: position 1 is clicked only without one.</summary>
    private static double[] CascadeClicks(int[] s, SeededRandom rng)
    {
        var first = rng.Bernoulli(Click[s[0]]) ? 1.0 : 0.0;
        return [first, first == 0 && rng.Bernoulli(Click[s[1]]) ? 1.0 : 0.0];
    }

    private static double[] AdditiveClicks(int[] s, SeededRandom rng) =>
        [rng.Bernoulli(Click[s[0]]) ? 1.0 : 0.0, rng.Bernoulli(0.6 * Click[s[1]]) ? 1.0 : 0.0];

    /// <summary><see cref="Requests"/> slates logged by <see cref="Logger"/>, with the world's clicks, and π's slate for each.</summary>
    private static (LoggedSlate[] Log, int[][] Targets) Simulate(Func<int[], SeededRandom, double[]> clicks, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var log = new LoggedSlate[Requests];
        for (var i = 0; i < Requests; i++)
        {
            var slate = Logger.Sample(rng);
            log[i] = new LoggedSlate(slate, clicks(slate, rng), Logger);
        }

        return (log, Enumerable.Repeat(Target, Requests).ToArray());
    }

    /// <summary>E_μ[IIPS] = Σ_k Σ_s μ(s) 1[s_k = a_k] E[r_k | s] / μ(a_k at k), by enumerating every slate.</summary>
    private static double ExpectedIips(Func<int[], double[]> means)
    {
        var total = 0.0;
        for (var a = 0; a < 4; a++)
        {
            for (var b = 0; b < 4; b++)
            {
                if (a == b)
                {
                    continue;
                }

                int[] s = [a, b];
                var mu = Logger.SlateProbability(s)!.Value;
                var mean = means(s);
                for (var k = 0; k < 2; k++)
                {
                    if (s[k] == Target[k])
                    {
                        total += mu * mean[k] / Logger.PositionMarginal(k, s[k])!.Value;
                    }
                }
            }
        }

        return total;
    }

    /// <summary>A reward model that is deliberately wrong (0.9 everywhere): CDR stays unbiased through its weights.</summary>
    private sealed class WrongModel : ISlateRewardModel
    {
        public double[] PositionRewards(int request, ReadOnlySpan<int> slate) => [.. Enumerable.Repeat(0.9, slate.Length)];
    }
}
