using Rerank.Abstractions;
using Rerank.Evaluation.Metrics;
using Rerank.Runtime.Randomness;
using Rerank.Simulation;
using Rerank.Testing;
using Xunit.Abstractions;

namespace Rerank.Evaluation.Tests.Metrics;

public sealed class RandomListBaselineTests(ITestOutputHelper output)
{
    [Fact]
    public void HitRate_UniformlyRandomGenerator_IsKPercent()
    {
        // Guarantee 5: a uniformly random list is in the top K% of random lists K% of the time.
        var data = SimTestWorlds.TestOnly(1500, 20, 5, seed: 17);
        var baseline = RandomListBaseline.Build(data.Test, 1000, 1);
        var rng = new SeededRandom(4);
        var values = new double[data.Test.Count];
        for (var r = 0; r < values.Length; r++)
        {
            var keys = Enumerable.Range(0, 20).Select(_ => rng.NextDouble()).ToArray();
            values[r] = data.Test[r].GroundTruth!.Utility(TopBy(keys, 5));
        }

        foreach (var k in new[] { 1.0, 3.0, 10.0, 50.0 })
        {
            var rate = baseline.HitRate(values, k);
            var sd = Math.Sqrt(k / 100 * (1 - (k / 100)) / values.Length);
            output.WriteLine($"HR@{k}% of a random generator: {rate:P2} (expected {k}% ± {sd:P2})");
            Math.Abs(rate - (k / 100)).ShouldBeLessThan(4 * sd);
        }
    }

    [Fact]
    public void HitRate_Optimum_HitsEverything()
    {
        var data = SimTestWorlds.TestOnly(50, 10, 5, seed: 2);
        var baseline = RandomListBaseline.Build(data.Test, 1000, 3);
        var best = data.Test.Select(r => ((IGroundTruth)r.GroundTruth!).Optimum(5).Value).ToArray();
        baseline.HitRate(best, 1).ShouldBe(1.0);
        for (var r = 0; r < data.Test.Count; r++)
        {
            baseline.Rank(r, best[r]).ShouldBe(0);
            baseline.Mean(r).ShouldBeLessThan(best[r]);
        }
    }

    [Fact]
    public void Rank_CountsStrictlyHigherValues()
    {
        var data = SimTestWorlds.TestOnly(3, 10, 5, seed: 2);
        var baseline = RandomListBaseline.Build(data.Test, 500, 3);
        var values = baseline.Values(1).ToArray();
        values.Length.ShouldBe(500);
        baseline.Rank(1, values[499]).ShouldBe(0);
        baseline.Rank(1, values[0] - 1).ShouldBe(500);
        baseline.Rank(1, values[250]).ShouldBe(values.Count(v => v > values[250]));

        // Eq. 14: a hit when Rank / R < K / 100: rank 4 of 500 is within 1% (4/500 = 0.8%), rank 5 is not.
        baseline.Hit(1, values[495], 1).ShouldBe(values.Count(v => v > values[495]) < 5);
        baseline.IndexOf(data.Test[2].RequestId).ShouldBe(2);
    }

    [Fact]
    public void Build_SameSeed_SameValues()
    {
        var data = SimTestWorlds.TestOnly(5, 10, 5, seed: 2);
        var a = RandomListBaseline.Build(data.Test, 300, 9);
        var b = RandomListBaseline.Build(data.Test.Reverse().ToList(), 300, 9);
        a.Values(0).ToArray().ShouldBe(b.Values(4).ToArray());
    }

    [Fact]
    public void Build_NoGroundTruth_Throws()
    {
        var request = new RerankRequest { RequestId = "plain", Candidates = [new Item { Id = "x" }], SlateSize = 1 };
        Should.Throw<InvalidOperationException>(() => RandomListBaseline.Build([request], 10, 1)).Message.ShouldContain("'plain'");
    }

    /// <summary>The first <paramref name="length"/> indices by descending <paramref name="keys"/> (ties by index): a random list when the keys are random.</summary>
    private static int[] TopBy(double[] keys, int length) =>
        [.. Enumerable.Range(0, keys.Length).OrderByDescending(i => keys[i]).ThenBy(i => i).Take(length)];
}
