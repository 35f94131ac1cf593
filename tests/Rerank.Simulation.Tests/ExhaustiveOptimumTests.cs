using Rerank.Simulation;
using Rerank.Testing;
using Xunit.Abstractions;

namespace Rerank.Simulation.Tests;

public sealed class ExhaustiveOptimumTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1.0, 0.0, 0.0)]
    [InlineData(5.0, 1.0, 1.0)]
    public void Search_SmallRequests_EqualsBruteForce(double click, double conversion, double gmv)
    {
        var data = SimTestWorlds.TestOnly(30, 8, 4, o =>
        {
            o.ClickWeight = click;
            o.ConversionWeight = conversion;
            o.GmvWeight = gmv;
            o.SatiationStrength = 3.0;
        });
        foreach (var request in data.Test)
        {
            var truth = (SimulatedListUtility)request.GroundTruth!;
            var (slate, value) = ExhaustiveOptimum.Search(truth, 4);
            value.ShouldBe(truth.Utility(slate), 1e-12);
            value.ShouldBe(BruteForce(truth, 4), 1e-12, request.RequestId);
        }
    }

    [Theory]
    [InlineData(1UL, 1.0, 0.0, 0.0)]
    [InlineData(2UL, 5.0, 1.0, 1.0)]
    [InlineData(3UL, 1.0, 0.0, 0.0)]
    [InlineData(4UL, 5.0, 1.0, 1.0)]
    public void Search_ComplementaritySatiationAnchoring_EqualsBruteForce(ulong seed, double click, double conversion, double gmv)
    {
        // Few categories with two complements each, so most requests hold complementary pairs; a strong ζ and a small
        // cap so both the capped and uncapped branches of m_t occur.
        var data = SimTestWorlds.TestOnly(25, 8, 4, o =>
        {
            o.Categories = 5;
            o.ComplementsPerCategory = 2;
            o.Complementarity = 3.0;
            o.ComplementarityCap = 0.6;
            o.ClickWeight = click;
            o.ConversionWeight = conversion;
            o.GmvWeight = gmv;
            o.SatiationStrength = 1.0;
        }, seed);
        var changed = 0;
        foreach (var request in data.Test)
        {
            var truth = (SimulatedListUtility)request.GroundTruth!;
            var (slate, value) = ExhaustiveOptimum.Search(truth, 4);
            value.ShouldBe(truth.Utility(slate), 1e-12);
            value.ShouldBe(BruteForce(truth, 4), 1e-12, request.RequestId);
            if (value > truth.With(truth.Parameters with { Complementarity = 0 }).Optimum(4).Value + 1e-9)
            {
                changed++;
            }
        }

        // The effect is there: on some requests the best list is worth more than the best without it.
        changed.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData(1UL, 1.0, 0.0, 0.0, 0.0)]
    [InlineData(2UL, 5.0, 1.0, 1.0, 0.0)]
    [InlineData(3UL, 1.0, 0.0, 0.0, 2.0)]
    [InlineData(4UL, 5.0, 1.0, 1.0, 2.0)]
    [InlineData(5UL, 1.0, 0.0, 0.0, 0.0)]
    public void Search_UserSatiationAndPatience_EqualsBruteForce(ulong seed, double click, double conversion, double gmv, double complementarity)
    {
        // Wide spreads so η_u and γ_u range far (γ_u from about 0.2 to 5); with and without complementarity.
        var data = SimTestWorlds.TestOnly(25, 8, 4, o =>
        {
            o.Categories = 5;
            o.SatiationStrength = 2.0;
            o.SatiationUserSpread = 1.0;
            o.PatienceSpread = 0.8;
            o.Complementarity = complementarity;
            o.ComplementarityCap = 0.6;
            o.ClickWeight = click;
            o.ConversionWeight = conversion;
            o.GmvWeight = gmv;
        }, seed);
        var gammas = new HashSet<double>();
        foreach (var request in data.Test)
        {
            var truth = (SimulatedListUtility)request.GroundTruth!;
            var user = request.UserCategorical[0];
            truth.Parameters.Patience.ShouldBe(data.World.Patience[user]);
            truth.Parameters.Satiation.ShouldBe(2.0 * data.World.SatiationScale[user]);
            gammas.Add(truth.Parameters.Patience);
            var (slate, value) = ExhaustiveOptimum.Search(truth, 4);
            value.ShouldBe(truth.Utility(slate), 1e-12);
            value.ShouldBe(BruteForce(truth, 4), 1e-12, request.RequestId);
        }

        gammas.Count.ShouldBeGreaterThan(5);
    }

    [Fact]
    public void Search_NoListEffectsClickOnly_SortingByAttractivenessIsOptimal()
    {
        // Guarantee 2: with η = 0, κ = 0 and click-only weights, sorting by r is optimal (rearrangement inequality).
        var data = SimTestWorlds.TestOnly(200, 12, 6, o => o.ListEffects = false);
        foreach (var request in data.Test)
        {
            var truth = (SimulatedListUtility)request.GroundTruth!;
            var sorted = truth.Utility(SimulatedListUtility.TopBy(truth.Attractiveness, 6));
            truth.Optimum(6).Value.ShouldBe(sorted, 1e-12, request.RequestId);
        }
    }

    [Fact]
    public void Search_Defaults_BeatsSortingByAttractivenessOnAClearFraction()
    {
        // Guarantee 3: with list effects the optimum beats sorting by the true attractiveness on many requests.
        var data = SimTestWorlds.TestOnly(200, 12, 6);
        var wins = 0;
        var gain = 0.0;
        foreach (var request in data.Test)
        {
            var truth = (SimulatedListUtility)request.GroundTruth!;
            var sorted = truth.Utility(SimulatedListUtility.TopBy(truth.Attractiveness, 6));
            var best = truth.Optimum(6).Value;
            best.ShouldBeGreaterThanOrEqualTo(sorted - 1e-12);
            if (best > sorted * (1 + 1e-9))
            {
                wins++;
            }

            gain += (best / sorted) - 1;
        }

        var fraction = wins / (double)data.Test.Count;
        output.WriteLine($"optimum beats sort-by-r on {fraction:P1} of requests; mean relative gain {gain / data.Test.Count:P2}");
        fraction.ShouldBeGreaterThan(0.5);
    }

    [Fact]
    public void Search_TwelveChooseSix_IsConsistentAndBeatsEveryLocalChange()
    {
        // At the experiments' size (N = 12, L = 6: 665,280 lists), the optimum's value is its list's utility, and no list
        // one move away (swap two positions, or replace one item by one left out) is better. Timing lives in the benchmarks.
        var data = SimTestWorlds.TestOnly(40, 12, 6, seed: 3);
        foreach (var request in data.Test)
        {
            var truth = (SimulatedListUtility)request.GroundTruth!;
            var (slate, value) = ExhaustiveOptimum.Search(truth, 6);
            slate.Length.ShouldBe(6);
            slate.Distinct().Count().ShouldBe(6);
            value.ShouldBe(truth.Utility(slate), 1e-12);
            foreach (var neighbour in Neighbours(slate, truth.Count))
            {
                truth.Utility(neighbour).ShouldBeLessThanOrEqualTo(value + 1e-12, request.RequestId);
            }
        }
    }

    /// <summary>Every list one swap or one replacement away from <paramref name="slate"/>.</summary>
    private static IEnumerable<int[]> Neighbours(int[] slate, int n)
    {
        for (var i = 0; i < slate.Length; i++)
        {
            for (var j = i + 1; j < slate.Length; j++)
            {
                var swapped = (int[])slate.Clone();
                (swapped[i], swapped[j]) = (swapped[j], swapped[i]);
                yield return swapped;
            }

            foreach (var outside in Enumerable.Range(0, n).Except(slate))
            {
                var replaced = (int[])slate.Clone();
                replaced[i] = outside;
                yield return replaced;
            }
        }
    }

    [Theory]
    [InlineData(12, 6, 665_280L)]
    [InlineData(20, 5, 1_860_480L)]
    [InlineData(5, 0, 1L)]
    [InlineData(200, 100, long.MaxValue)]
    public void PermutationCount_Values_AreFallingFactorials(int n, int length, long expected) =>
        ExhaustiveOptimum.PermutationCount(n, length).ShouldBe(expected);

    [Fact]
    public void Search_LengthAboveCandidates_Throws()
    {
        var truth = (SimulatedListUtility)SimTestWorlds.Dataset.Test[0].GroundTruth!;
        Should.Throw<ArgumentOutOfRangeException>(() => truth.Optimum(truth.Count + 1));
    }

    private static double BruteForce(SimulatedListUtility truth, int length)
    {
        var best = double.NegativeInfinity;
        var slate = new int[length];
        var used = new bool[truth.Count];
        void Go(int t)
        {
            if (t == length)
            {
                best = Math.Max(best, truth.Utility(slate));
                return;
            }

            for (var i = 0; i < truth.Count; i++)
            {
                if (!used[i])
                {
                    used[i] = true;
                    slate[t] = i;
                    Go(t + 1);
                    used[i] = false;
                }
            }
        }

        Go(0);
        return best;
    }
}
