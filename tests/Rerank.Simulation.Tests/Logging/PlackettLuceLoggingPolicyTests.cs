using Rerank.Runtime.Randomness;
using Rerank.Simulation.Logging;

namespace Rerank.Simulation.Tests.Logging;

/// <summary>The Plackett–Luce logger against hand-computed values and against enumerating every ordered slate.</summary>
public sealed class PlackettLuceLoggingPolicyTests
{
    // Weights 1, 2, 3 (scores 2·ln w at T = 2): P(2 then 0) = 3/6 · 1/3, P(1 then 2) = 2/6 · 3/4.
    private static readonly double[] HandScores = [2 * Math.Log(1), 2 * Math.Log(2), 2 * Math.Log(3)];
    private static readonly double[] FiveScores = [0.3, -1.2, 0.9, 0.0, -0.4];

    [Fact]
    public void SlateProbability_ThreeCandidates_HandComputed()
    {
        var policy = new PlackettLuceLoggingPolicy(HandScores, 2.0, 2, seed: 1);

        policy.SlateProbability([2, 0])!.Value.ShouldBe(1.0 / 6, 1e-15);
        policy.SlateProbability([1, 2])!.Value.ShouldBe(1.0 / 4, 1e-15);
        policy.SlateProbability([0, 1])!.Value.ShouldBe(1.0 / 6 * 2 / 5, 1e-15);
    }

    [Fact]
    public void PrefixProbabilities_ThreeCandidates_HandComputed()
    {
        var policy = new PlackettLuceLoggingPolicy(HandScores, 2.0, 2, seed: 1);

        policy.PrefixProbabilities([1, 2])!.ShouldBe([1.0 / 3, 1.0 / 4], 1e-15);
        policy.PrefixProbabilities([0])!.ShouldBe([1.0 / 6], 1e-15);
    }

    [Fact]
    public void PositionMarginal_ThreeCandidates_HandComputed()
    {
        var policy = new PlackettLuceLoggingPolicy(HandScores, 2.0, 2, seed: 1);

        policy.ExactMarginals.ShouldBeTrue();
        double[,] expected = { { 1.0 / 6, 2.0 / 6, 3.0 / 6 }, { 1.0 / 4, 2.0 / 5, 7.0 / 20 } };
        for (var k = 0; k < 2; k++)
        {
            for (var i = 0; i < 3; i++)
            {
                policy.PositionMarginal(k, i)!.Value.ShouldBe(expected[k, i], 1e-15, $"position {k}, item {i}");
            }
        }
    }

    [Fact]
    public void PositionMarginal_FiveCandidates_EqualsEnumerationAndSumsToOne()
    {
        var policy = new PlackettLuceLoggingPolicy(FiveScores, 0.7, 3, seed: 1);
        var expected = EnumeratedMarginals(policy);

        for (var k = 0; k < 3; k++)
        {
            Enumerable.Range(0, 5).Sum(i => policy.PositionMarginal(k, i)!.Value).ShouldBe(1.0, 1e-12);
            for (var i = 0; i < 5; i++)
            {
                policy.PositionMarginal(k, i)!.Value.ShouldBe(expected[k, i], 1e-14, $"position {k}, item {i}");
            }
        }

        for (var i = 0; i < 5; i++)
        {
            Enumerable.Range(0, 3).Sum(k => policy.PositionMarginal(k, i)!.Value).ShouldBeLessThanOrEqualTo(1.0 + 1e-12);
        }
    }

    [Fact]
    public void PositionMarginal_MonteCarlo_WithinFourStandardErrorsOfExact()
    {
        const int samples = 20000;
        var exact = new PlackettLuceLoggingPolicy(FiveScores, 0.7, 3, seed: 1);
        var sampled = new PlackettLuceLoggingPolicy(FiveScores, 0.7, 3, seed: 1, samples) { MarginalStateCap = 0 };

        sampled.ExactMarginals.ShouldBeFalse();
        for (var k = 0; k < 3; k++)
        {
            for (var i = 0; i < 5; i++)
            {
                var p = exact.PositionMarginal(k, i)!.Value;
                var error = Math.Sqrt(p * (1 - p) / samples);
                sampled.PositionMarginal(k, i)!.Value.ShouldBe(p, (4 * error) + 1e-15, $"position {k}, item {i}");
            }
        }
    }

    [Fact]
    public void PositionMarginal_ExtremeScores_FiniteAndSumToOne()
    {
        var policy = new PlackettLuceLoggingPolicy([0.0, 1000.0, -1000.0, 999.0], 1.0, 3, seed: 1);

        for (var k = 0; k < 3; k++)
        {
            var row = Enumerable.Range(0, 4).Select(i => policy.PositionMarginal(k, i)!.Value).ToArray();
            row.ShouldAllBe(p => double.IsFinite(p) && p >= 0);
            row.Sum().ShouldBe(1.0, 1e-12);
        }

        policy.PositionMarginal(2, 0)!.Value.ShouldBe(1.0, 1e-12);
        policy.SlateProbability([1, 3, 0])!.Value.ShouldBe(1 / (1 + Math.Exp(-1)), 1e-12);
    }

    [Fact]
    public void PairMarginals_FiveCandidates_EqualEnumerationWithMarginalsOnTheDiagonal()
    {
        var policy = new PlackettLuceLoggingPolicy(FiveScores, 0.7, 3, seed: 1);
        var gamma = policy.PairMarginals()!;

        policy.ExactPairs.ShouldBeTrue();
        var expected = EnumeratedPairs(policy);
        for (var r = 0; r < 15; r++)
        {
            policy.PositionMarginal(r / 5, r % 5)!.Value.ShouldBe(gamma[r, r], 1e-14, $"diagonal {r}");
            for (var c = 0; c < 15; c++)
            {
                gamma[r, c].ShouldBe(expected[r, c], 1e-14, $"entry ({r}, {c})");
            }
        }

        AssertConsistentRows(gamma, 3, 5, 1e-12);
    }

    [Fact]
    public void PairMarginals_MonteCarlo_ConsistentRowsAndWithinFourStandardErrors()
    {
        const int samples = 20000;
        var exact = new PlackettLuceLoggingPolicy(FiveScores, 0.7, 3, seed: 1).PairMarginals()!;
        var sampledPolicy = new PlackettLuceLoggingPolicy(FiveScores, 0.7, 3, seed: 1, samples) { PairSlateCap = 0 };
        var sampled = sampledPolicy.PairMarginals()!;

        sampledPolicy.ExactPairs.ShouldBeFalse();
        AssertConsistentRows(sampled, 3, 5, 1e-12);
        for (var r = 0; r < 15; r++)
        {
            for (var c = 0; c < 15; c++)
            {
                var p = exact[r, c];
                sampled[r, c].ShouldBe(p, (4 * Math.Sqrt(p * (1 - p) / samples)) + 1e-15, $"entry ({r}, {c})");
            }
        }
    }

    [Fact]
    public void MonteCarlo_SameSeed_SameNumbers_OtherSeed_Differs()
    {
        PlackettLuceLoggingPolicy Make(ulong seed) => new(FiveScores, 0.7, 3, seed, 2000) { MarginalStateCap = 0, PairSlateCap = 0 };
        var a = Make(5);
        var b = Make(5);
        var c = Make(6);

        a.PairMarginals().ShouldBe(b.PairMarginals());
        a.PositionMarginal(2, 3).ShouldBe(b.PositionMarginal(2, 3));
        c.PositionMarginal(2, 3).ShouldNotBe(a.PositionMarginal(2, 3));
        c.PairMarginals().ShouldNotBe(a.PairMarginals());
    }

    [Fact]
    public void Sample_FrequenciesMatchSlateProbabilities()
    {
        const int draws = 20000;
        var policy = new PlackettLuceLoggingPolicy(HandScores, 2.0, 2, seed: 1);
        var rng = new SeededRandom(42);
        var counts = new Dictionary<(int, int), int>();
        for (var d = 0; d < draws; d++)
        {
            var s = policy.Sample(rng);
            counts[(s[0], s[1])] = counts.GetValueOrDefault((s[0], s[1])) + 1;
        }

        counts.Count.ShouldBe(6);
        foreach (var ((first, second), count) in counts)
        {
            var p = policy.SlateProbability([first, second])!.Value;
            ((double)count / draws).ShouldBe(p, 4 * Math.Sqrt(p * (1 - p) / draws), $"slate ({first}, {second})");
        }
    }

    [Fact]
    public void Constructor_InvalidArguments_ThrowNamingThem()
    {
        Should.Throw<ArgumentException>(() => new PlackettLuceLoggingPolicy([0.0, double.NaN], 1, 1, 0)).Message.ShouldContain("score 1 is NaN");
        Should.Throw<ArgumentException>(() => new PlackettLuceLoggingPolicy([], 1, 1, 0)).Message.ShouldContain("at least one candidate");
        Should.Throw<ArgumentOutOfRangeException>(() => new PlackettLuceLoggingPolicy([0.0, 1.0], 0, 1, 0)).ParamName.ShouldBe("temperature");
        Should.Throw<ArgumentOutOfRangeException>(() => new PlackettLuceLoggingPolicy([0.0, 1.0], double.PositiveInfinity, 1, 0)).ParamName.ShouldBe("temperature");
        Should.Throw<ArgumentOutOfRangeException>(() => new PlackettLuceLoggingPolicy([0.0, 1.0], 1, 3, 0)).Message.ShouldContain("1 … 2");
        Should.Throw<ArgumentOutOfRangeException>(() => new PlackettLuceLoggingPolicy([0.0, 1.0], 1, 0, 0)).ParamName.ShouldBe("slateSize");
        Should.Throw<ArgumentOutOfRangeException>(() => new PlackettLuceLoggingPolicy([0.0, 1.0], 1, 1, 0, samples: 0)).ParamName.ShouldBe("samples");
    }

    [Fact]
    public void Probabilities_InvalidSlates_Throw()
    {
        var policy = new PlackettLuceLoggingPolicy(HandScores, 2.0, 2, seed: 1);

        Should.Throw<ArgumentException>(() => policy.SlateProbability([0])).Message.ShouldContain("2 items, not 1");
        Should.Throw<ArgumentException>(() => policy.SlateProbability([1, 1])).Message.ShouldContain("item 1 appears twice");
        Should.Throw<ArgumentException>(() => policy.PrefixProbabilities([3])).Message.ShouldContain("item 3 is not a candidate");
        Should.Throw<ArgumentException>(() => policy.PrefixProbabilities([0, 1, 2])).Message.ShouldContain("1 … 2 items, not 3");
        Should.Throw<ArgumentOutOfRangeException>(() => policy.PositionMarginal(2, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => policy.PositionMarginal(0, -1));
    }

    [Fact]
    public void ExactCaps_LargeRequests_FallBackToMonteCarlo()
    {
        var scores = Enumerable.Range(0, 60).Select(i => i * 0.01).ToArray();

        new PlackettLuceLoggingPolicy(scores, 1, 5, 0).ExactMarginals.ShouldBeFalse("Σ_{k<5} C(60, k) > 2^18");
        new PlackettLuceLoggingPolicy(scores, 1, 4, 0).ExactMarginals.ShouldBeTrue("Σ_{k<4} C(60, k) = 36,051");
        new PlackettLuceLoggingPolicy(scores, 1, 3, 0).ExactPairs.ShouldBeTrue("60·59·58 = 205,320");
        new PlackettLuceLoggingPolicy(scores, 1, 4, 0).ExactPairs.ShouldBeFalse("60·59·58·57 > 2^18");
    }

    private static double[,] EnumeratedMarginals(PlackettLuceLoggingPolicy policy)
    {
        var marginals = new double[policy.SlateSize, policy.Candidates];
        foreach (var slate in AllSlates(policy.Candidates, policy.SlateSize))
        {
            var p = policy.SlateProbability(slate)!.Value;
            for (var k = 0; k < slate.Length; k++)
            {
                marginals[k, slate[k]] += p;
            }
        }

        return marginals;
    }

    private static double[,] EnumeratedPairs(PlackettLuceLoggingPolicy policy)
    {
        var n = policy.Candidates;
        var pairs = new double[policy.SlateSize * n, policy.SlateSize * n];
        foreach (var slate in AllSlates(n, policy.SlateSize))
        {
            var p = policy.SlateProbability(slate)!.Value;
            for (var j = 0; j < slate.Length; j++)
            {
                for (var k = 0; k < slate.Length; k++)
                {
                    pairs[(j * n) + slate[j], (k * n) + slate[k]] += p;
                }
            }
        }

        return pairs;
    }

    /// <summary>Γ is symmetric, a position holds one item, and Σ_b Γ[(j,a),(k,b)] = Γ[(j,a),(j,a)] for k ≠ j.</summary>
    private static void AssertConsistentRows(double[,] gamma, int l, int n, double tolerance)
    {
        for (var j = 0; j < l; j++)
        {
            for (var a = 0; a < n; a++)
            {
                var row = (j * n) + a;
                for (var k = 0; k < l; k++)
                {
                    var sum = 0.0;
                    for (var b = 0; b < n; b++)
                    {
                        gamma[row, (k * n) + b].ShouldBe(gamma[(k * n) + b, row], 1e-15);
                        if (k == j && b != a)
                        {
                            gamma[row, (k * n) + b].ShouldBe(0.0);
                        }

                        sum += gamma[row, (k * n) + b];
                    }

                    if (k != j)
                    {
                        sum.ShouldBe(gamma[row, row], tolerance, $"row ({j}, {a}) over position {k}");
                    }
                }
            }
        }
    }

    private static IEnumerable<int[]> AllSlates(int n, int l)
    {
        if (l == 0)
        {
            yield return [];
            yield break;
        }

        foreach (var prefix in AllSlates(n, l - 1))
        {
            for (var i = 0; i < n; i++)
            {
                if (!prefix.Contains(i))
                {
                    yield return [.. prefix, i];
                }
            }
        }
    }
}
