using Rerank.Evaluation.Metrics;

namespace Rerank.Evaluation.Tests.Metrics;

public sealed class LatencyTests
{
    [Fact]
    public void Percentile_NearestRank()
    {
        double[] samples = [15, 20, 35, 40, 50];
        Latency.Percentile(samples, 5).ShouldBe(15);
        Latency.Percentile(samples, 30).ShouldBe(20);
        Latency.Percentile(samples, 40).ShouldBe(20);
        Latency.Percentile(samples, 50).ShouldBe(35);
        Latency.Percentile(samples, 100).ShouldBe(50);
    }

    [Fact]
    public void Percentiles_HundredSamples_P50AndP99()
    {
        var samples = Enumerable.Range(1, 100).Select(i => (double)(101 - i)).ToArray();
        Span<double> r = stackalloc double[2];
        Latency.Percentiles(samples, [50, 99], r);
        r[0].ShouldBe(50);
        r[1].ShouldBe(99);
    }

    [Fact]
    public void Percentile_Empty_IsNaN() => double.IsNaN(Latency.Percentile([], 50)).ShouldBeTrue();

    [Fact]
    public void Percentile_OutOfRange_Throws() => Should.Throw<ArgumentOutOfRangeException>(() => Latency.Percentile([1.0], 0));

    [Fact]
    public void Throughput_RequestsPerSecond() => Latency.Throughput(500, TimeSpan.FromSeconds(2)).ShouldBe(250);
}
