using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Runtime.Pipelines;
using Rerank.Serving;
using Rerank.Serving.Metrics;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class DynamicBatcherTests
{
    private static readonly FeatureSchema Schema = DefaultSchema.Serving;

    private static CompiledPipeline Compile(string use)
    {
        var errors = new List<ConfigError>();
        var spec = PipelineParser.ParseText(ServingFixtures.Pipeline("p", use), "p.yaml", ".", errors)!;
        var compiled = PipelineCompiler.Compile(spec, new ComponentFactory(ProbePlugin.Catalog(), Schema, 1), errors);
        errors.ShouldBeEmpty();
        return compiled!;
    }

    private static PendingRerank Pending(int index, TimeSpan? deadline = null, string? id = null)
    {
        var json = SyntheticRequests.Create(Schema, 6, 3, 5, index);
        if (id is not null)
        {
            json.Candidates![0].Id = id;
        }

        var errors = new List<string>();
        var request = RequestMapper.Map(json, "body", Schema, LimitSettings.Default, errors)!;
        return new PendingRerank(request, Stopwatch.GetTimestamp() + (long)((deadline ?? TimeSpan.FromSeconds(30)).TotalSeconds * Stopwatch.Frequency));
    }

    private static DynamicBatcher Batcher(string use, int maxBatch, int delayUs, ServingMetrics metrics) =>
        new(Compile(use), Schema, new BatchingSettings(maxBatch, delayUs), 1, 1, metrics);

    [Fact]
    public async Task TryEnqueue_FullBatchBeforeDelay_RunsThemTogether()
    {
        var metrics = new ServingMetrics();
        var batcher = Batcher("probe@1.0.0/order", 8, 2_000_000, metrics);
        var pending = Enumerable.Range(0, 8).Select(i => Pending(i)).ToList();
        pending.ForEach(p => batcher.TryEnqueue(p).ShouldBeTrue());
        var outcomes = await Task.WhenAll(pending.Select(p => p.Outcome)).WaitAsync(TimeSpan.FromSeconds(1.5));
        outcomes.ShouldAllBe(o => o.BatchSize == 8 && o.Slate != null);
        metrics.BatchSize.Count("p").ShouldBe(1);
        batcher.Close();
        await batcher.Completion;
    }

    [Fact]
    public async Task TryEnqueue_MoreThanMax_SplitsIntoBatchesOfAtMostMax()
    {
        var metrics = new ServingMetrics();
        var batcher = Batcher("probe@1.0.0/order", 3, 20_000, metrics);
        var pending = Enumerable.Range(0, 7).Select(i => Pending(i)).ToList();
        pending.ForEach(p => batcher.TryEnqueue(p));
        var outcomes = await Task.WhenAll(pending.Select(p => p.Outcome));
        outcomes.ShouldAllBe(o => o.BatchSize >= 1 && o.BatchSize <= 3);
        metrics.BatchSize.Sum("p").ShouldBe(7);
        batcher.Close();
        await batcher.Completion;
    }

    [Fact]
    public async Task TryEnqueue_FewerThanMax_WaitsForTheQueueDelay()
    {
        var batcher = Batcher("probe@1.0.0/order", 100, 40_000, new ServingMetrics());
        var first = Pending(0);
        var second = Pending(1);
        batcher.TryEnqueue(first);
        batcher.TryEnqueue(second);
        var outcome = await first.Outcome;
        outcome.BatchSize.ShouldBe(2);
        outcome.Queue.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(30));
        batcher.Close();
        await batcher.Completion;
    }

    [Fact]
    public async Task TryEnqueue_OneRequestMakesTheBatchFail_OnlyThatOneFallsBack()
    {
        var batcher = Batcher("probe@1.0.0/throwing", 3, 1_000_000, new ServingMetrics());
        var pending = new[] { Pending(0), Pending(1, id: "boom"), Pending(2) };
        foreach (var p in pending)
        {
            batcher.TryEnqueue(p);
        }

        var outcomes = await Task.WhenAll(pending.Select(p => p.Outcome));
        outcomes.Select(o => o.Slate is null).ShouldBe([false, true, false]);
        outcomes[1].FallbackReason.ShouldNotBeNull().ShouldContain("a candidate is named boom");
        batcher.Close();
        await batcher.Completion;
    }

    [Fact]
    public async Task TryEnqueue_DeadlinePassedWhileQueued_CompletesWithoutRunning()
    {
        var metrics = new ServingMetrics();
        var batcher = Batcher("probe@1.0.0/order", 4, 0, metrics);
        var late = Pending(0, deadline: TimeSpan.FromMilliseconds(-1));
        batcher.TryEnqueue(late);
        var outcome = await late.Outcome;
        outcome.Slate.ShouldBeNull();
        outcome.FallbackReason.ShouldBe("deadline exceeded while queued");
        metrics.BatchSize.Count("p").ShouldBe(0);
        batcher.Close();
        await batcher.Completion;
        batcher.TryEnqueue(Pending(1)).ShouldBeFalse();
    }

    [Fact]
    public async Task TryEnqueue_Batches_RunOffTheThreadPool()
    {
        // A slow stage must not hold the pool threads that read requests and fire deadlines.
        var batcher = Batcher("probe@1.0.0/thread", 4, 0, new ServingMetrics());
        var pending = Pending(0);
        batcher.TryEnqueue(pending).ShouldBeTrue();
        var outcome = await pending.Outcome.WaitAsync(TimeSpan.FromSeconds(10));
        outcome.Slate!.Score.ShouldBe(0);
        batcher.Close();
        await batcher.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Close_WithQueuedRequests_RunsThemThenCompletesAndRefusesNewOnes()
    {
        var batcher = new DynamicBatcher(Compile("probe@1.0.0/order"), Schema, new BatchingSettings(2, 0), 3, 1, new ServingMetrics());
        var pending = Enumerable.Range(0, 9).Select(i => Pending(i)).ToList();
        pending.ForEach(p => batcher.TryEnqueue(p).ShouldBeTrue());
        batcher.Close();
        batcher.Close();
        batcher.TryEnqueue(Pending(99)).ShouldBeFalse();
        await batcher.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        var outcomes = await Task.WhenAll(pending.Select(p => p.Outcome)).WaitAsync(TimeSpan.FromSeconds(10));
        outcomes.ShouldAllBe(o => o.Slate != null && o.BatchSize >= 1 && o.BatchSize <= 2);
    }
}
