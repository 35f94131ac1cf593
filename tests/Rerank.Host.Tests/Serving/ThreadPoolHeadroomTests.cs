using Rerank.Host.Serving;

namespace Rerank.Host.Tests.Serving;

public sealed class ThreadPoolHeadroomTests
{
    [Fact]
    public void For_CountsTheOldAndNewGraphsWorkersPlusTheCores() =>
        ThreadPoolHeadroom.For(3).ShouldBe(6 + Environment.ProcessorCount);

    [Fact]
    public async Task Build_GraphWithSeveralPipelines_RaisesThePoolMinimumForItsBatchWorkers()
    {
        var files = new Dictionary<string, string>
        {
            ["a.yaml"] = ServingHarness.Pipeline("a", "probe@1.0.0/order"),
            ["b.yaml"] = ServingHarness.Pipeline("b", "probe@1.0.0/order"),
            ["serve.yaml"] = "workers: 3\nlimits: { deadline_ms: 10000 }\n",
        };

        await using var h = await ServingHarness.StartAsync(files);

        ThreadPool.GetMinThreads(out var workers, out _);
        workers.ShouldBeGreaterThanOrEqualTo(ThreadPoolHeadroom.For(2 * 3));
    }
}
