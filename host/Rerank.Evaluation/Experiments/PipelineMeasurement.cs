using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Runtime.Pipelines;

namespace Rerank.Evaluation.Experiments;

/// <summary>What running one pipeline over the test requests produced.</summary>
/// <param name="Slates">The final slate of each test request, in request order.</param>
/// <param name="LatenciesMs">Per-request latency of single-request calls, in milliseconds.</param>
/// <param name="StageShares">Share of the batched wall time spent in each stage.</param>
/// <param name="StageMs">The batched wall time of each stage, in milliseconds.</param>
internal sealed record PipelineMeasurement(Slate[] Slates, double[] LatenciesMs, IReadOnlyList<KeyValuePair<string, double>> StageShares, double[] StageMs)
{
    /// <summary>Each stage's share of <paramref name="stageMs"/>, labelled as the reports show it.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Shares(CompiledPipeline pipeline, double[] stageMs)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(stageMs);
        var sum = Math.Max(stageMs.Sum(), 1e-12);
        return [.. pipeline.Stages.Select((stage, s) => new KeyValuePair<string, double>($"{s + 1}. {stage.Describe()}", s < stageMs.Length ? stageMs[s] / sum : 0))];
    }
}

/// <summary>
/// Runs a pipeline over test requests: a batched quality pass (every request, <c>batch_size</c> at a time), then a latency
/// pass that times single-request calls after untimed warm-up calls, as a serving host would see them.
/// </summary>
internal static class PipelineRunner
{
    public static PipelineMeasurement Measure(CompiledPipeline pipeline, FeatureSchema schema, IReadOnlyList<RerankRequest> requests, EvaluationOptions options, RerankContext context, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        var stageTimes = new double[pipeline.Stages.Length];
        var latencyCount = Math.Min(options.LatencyRequests, requests.Count);
        var warmup = Math.Min(options.WarmupRequests, requests.Count);
        var slates = Batched(pipeline, schema, requests, options.BatchSize, context, stageTimes, progress);
        for (var i = 0; i < warmup; i++)
        {
            pipeline.Run(RerankBatch.Create(schema, [requests[i]]), context);
            progress?.Report(requests.Count + i + 1);
        }

        var latencies = new double[latencyCount];
        for (var i = 0; i < latencyCount; i++)
        {
            var started = Stopwatch.GetTimestamp();
            pipeline.Run(RerankBatch.Create(schema, [requests[i]]), context);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            progress?.Report(requests.Count + warmup + i + 1);
        }

        return new PipelineMeasurement(slates, latencies, PipelineMeasurement.Shares(pipeline, stageTimes), stageTimes);
    }

    /// <summary>
    /// The quality pass: runs <paramref name="pipeline"/> over <paramref name="requests"/>, <paramref name="batchSize"/> at
    /// a time, and returns the final slate of each; adds each stage's batch wall time (ms) to <paramref name="stageTimes"/>
    /// when given and reports the requests done to <paramref name="progress"/>.
    /// </summary>
    public static Slate[] Batched(CompiledPipeline pipeline, FeatureSchema schema, IReadOnlyList<RerankRequest> requests, int batchSize, RerankContext context, double[]? stageTimes, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(requests);
        var slates = new Slate[requests.Count];
        for (var start = 0; start < requests.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, requests.Count - start);
            var batch = RerankBatch.Create(schema, Slice(requests, start, count));
            var run = pipeline.Run(batch, context);
            run.Slates.CopyTo(slates, start);
            for (var s = 0; stageTimes is not null && s < stageTimes.Length; s++)
            {
                stageTimes[s] += run.StageTimes[s].TotalMilliseconds;
            }

            progress?.Report(start + count);
        }

        return slates;
    }

    /// <summary>The number of progress units <see cref="Measure"/> reports.</summary>
    public static int ProgressUnits(int requests, EvaluationOptions options) =>
        requests + Math.Min(options.LatencyRequests, requests) + Math.Min(options.WarmupRequests, requests);

    private static RerankRequest[] Slice(IReadOnlyList<RerankRequest> requests, int start, int count)
    {
        var slice = new RerankRequest[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = requests[start + i];
        }

        return slice;
    }
}
