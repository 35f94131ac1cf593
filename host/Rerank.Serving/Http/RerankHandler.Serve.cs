using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Serving.Json;

namespace Rerank.Serving.Http;

internal sealed partial class RerankHandler
{
    /// <summary>Routes, queues and waits for one valid request; never throws for a pipeline failure (that is a fallback).</summary>
    private async Task<RerankResponseJson> ServeAsync(ServingGraph graph, string name, RerankRequest request, long arrival)
    {
        var route = RouteTarget.Resolve(graph, name, request.UserId, request.RequestId)!;
        if (route.Split is not null)
        {
            _runtime.Metrics.SplitRequests.Increment(route.Split, route.Arm!);
        }

        var limits = graph.Settings.Limits;
        var deadline = arrival + (long)(limits.Deadline.TotalSeconds * Stopwatch.Frequency);
        var pending = new PendingRerank(request, deadline);
        BatchOutcome outcome;
        if (!route.Pipeline.Batcher.TryEnqueue(pending))
        {
            outcome = new BatchOutcome(null, "the pipeline is shutting down", 0, TimeSpan.Zero, TimeSpan.Zero, []);
        }
        else
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            try
            {
                outcome = remaining > TimeSpan.Zero
                    ? await pending.Outcome.WaitAsync(remaining).ConfigureAwait(false)
                    : throw new TimeoutException();
            }
            catch (TimeoutException)
            {
                outcome = new BatchOutcome(null, DynamicBatcher.DeadlineReason, 0, Stopwatch.GetElapsedTime(arrival), TimeSpan.Zero, []);
            }
        }

        return Respond(graph, route, request, outcome, arrival);
    }

    private RerankResponseJson Respond(ServingGraph graph, RouteTarget route, RerankRequest request, BatchOutcome outcome, long arrival)
    {
        var pipeline = route.Pipeline;
        var slate = outcome.Slate ?? FallbackOrder.For(request, graph.Settings.Schema);
        var items = new RankedItemJson[slate.Count];
        for (var k = 0; k < items.Length; k++)
        {
            items[k] = new RankedItemJson { Id = request.Candidates[slate.Indices[k]].Id, Score = slate.ItemScores?[k] };
        }

        var stages = new StageTimeJson[outcome.StageTimes.Length];
        for (var s = 0; s < stages.Length; s++)
        {
            stages[s] = new StageTimeJson { Stage = s < pipeline.Stages.Count ? pipeline.Stages[s] : "?", Ms = outcome.StageTimes[s].TotalMilliseconds };
        }

        var total = Stopwatch.GetElapsedTime(arrival);
        var metrics = _runtime.Metrics;
        metrics.Requests.Increment(pipeline.Name);
        metrics.Latency.Observe(total.TotalSeconds, pipeline.Name);
        if (outcome.Slate is null)
        {
            var reason = outcome.FallbackReason ?? "unknown";
            metrics.Fallbacks.Increment(pipeline.Name, reason.StartsWith(DynamicBatcher.DeadlineReason, StringComparison.Ordinal) ? "deadline" : "error");
        }

        return new RerankResponseJson
        {
            RequestId = request.RequestId,
            Pipeline = pipeline.Name,
            Split = route.Split,
            Arm = route.Arm,
            Graph = graph.Generation,
            Plugins = pipeline.Plugins,
            Items = items,
            Score = slate.Score,
            Fallback = outcome.Slate is null,
            FallbackReason = outcome.Slate is null ? outcome.FallbackReason ?? "unknown" : null,
            BatchSize = outcome.BatchSize,
            Timings = new TimingsJson
            {
                QueueMs = outcome.Queue.TotalMilliseconds,
                RunMs = outcome.Run.TotalMilliseconds,
                TotalMs = total.TotalMilliseconds,
                Stages = stages,
            },
        };
    }
}
