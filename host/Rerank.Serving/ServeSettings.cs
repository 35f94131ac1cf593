using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;

namespace Rerank.Serving;

/// <summary>How one pipeline's requests are coalesced (Triton's dynamic batcher is the model).</summary>
/// <param name="MaxBatchSize">The most requests run as one batch.</param>
/// <param name="MaxQueueDelayMicroseconds">How long the first request of a batch may wait for more to join (0: take what is queued).</param>
public sealed record BatchingSettings(int MaxBatchSize, int MaxQueueDelayMicroseconds)
{
    /// <summary>32 requests, no queue delay.</summary>
    public static BatchingSettings Default { get; } = new(32, 0);

    /// <summary>The range of <c>max_batch_size</c> and <c>--max-batch-size</c>.</summary>
    public static IntRange MaxBatchSizeRange { get; } = new(1, 65_536);

    /// <summary>The range of <c>max_queue_delay_us</c> and <c>--max-queue-delay-us</c> (at most 10 s).</summary>
    public static IntRange MaxQueueDelayRange { get; } = new(0, 10_000_000);
}

/// <summary>What a request may be: body size, candidate count, requests per batch call, and the deadline to answer.</summary>
/// <param name="MaxBodyBytes">Largest accepted request body.</param>
/// <param name="MaxCandidates">Most candidates in one request.</param>
/// <param name="MaxBatchRequests">Most requests in one <c>:rerank-batch</c> call.</param>
/// <param name="Deadline">Time from arrival to answer; past it the fallback order is served.</param>
public sealed record LimitSettings(long MaxBodyBytes, int MaxCandidates, int MaxBatchRequests, TimeSpan Deadline)
{
    /// <summary>4 MiB bodies, 1,000 candidates, 256 requests per batch call, a 100 ms deadline.</summary>
    public static LimitSettings Default { get; } = new(4 * 1024 * 1024, 1000, 256, TimeSpan.FromMilliseconds(100));

    /// <summary>The range of <c>max_body_bytes</c> (64 B to 1 GiB).</summary>
    public static IntRange MaxBodyBytesRange { get; } = new(64, 1 << 30);

    /// <summary>The range of <c>max_candidates</c>.</summary>
    public static IntRange MaxCandidatesRange { get; } = new(1, 10_000);

    /// <summary>The range of <c>max_batch_requests</c>.</summary>
    public static IntRange MaxBatchRequestsRange { get; } = new(1, 10_000);

    /// <summary>The range of <c>deadline_ms</c> and <c>--deadline-ms</c> (at most 10 minutes).</summary>
    public static IntRange DeadlineRange { get; } = new(1, 600_000);
}

/// <summary>
/// The reloadable part of the serving configuration (from <c>serve.yaml</c> plus command-line overrides): the schema requests
/// follow, batching (default and per pipeline), limits, worker count and seed. A reload reads it again.
/// </summary>
public sealed record ServeSettings
{
    /// <summary>The feature schema requests follow.</summary>
    public required FeatureSchema Schema { get; init; }

    /// <summary>Where the schema came from (a file, or "default (simulator fields)").</summary>
    public string SchemaSource { get; init; } = "default (simulator fields)";

    /// <summary>The schema file's full path, or null for the default schema (never read as a pipeline).</summary>
    public string? SchemaFilePath { get; init; }

    /// <summary>The batching of every pipeline without its own.</summary>
    public BatchingSettings Batching { get; init; } = BatchingSettings.Default;

    /// <summary>Batching overrides by pipeline name.</summary>
    public IReadOnlyDictionary<string, BatchingSettings> PipelineBatching { get; init; } = new Dictionary<string, BatchingSettings>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Request limits and the deadline.</summary>
    public LimitSettings Limits { get; init; } = LimitSettings.Default;

    /// <summary>
    /// The default <see cref="Workers"/> of a pipeline with a component on the GPU, when <c>workers</c> is not set. Each
    /// worker queues on its own CUDA stream, but the GPU work of a batch is a few hundred tiny kernels, so many workers
    /// only contend for the device, and fewer form larger batches (measured on an H100 with NAR4Rec under 32 clients:
    /// 1, 4 and 8 workers served 3,621, 5,404 and 5,708 requests/s; one shared stream with 16 workers, 1,243).
    /// </summary>
    public const int GpuWorkers = 4;

    /// <summary>The range of <c>workers</c> and <c>--workers</c>.</summary>
    public static IntRange WorkersRange { get; } = new(1, 1024);

    /// <summary>Batches run concurrently per pipeline (components must be safe to call from several threads).</summary>
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Whether <see cref="Workers"/> was set (serve.yaml <c>workers</c> or <c>--workers</c>) rather than defaulted.</summary>
    public bool WorkersSet { get; init; }

    /// <summary>The seed components are built and warmed up with.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>The bearer token for admin endpoints from <c>serve.yaml</c> (the environment variable wins), or null.</summary>
    public string? AdminToken { get; init; }

    /// <summary>
    /// The workers of <paramref name="pipeline"/>: <see cref="Workers"/>, except that a pipeline with a component on the
    /// GPU (<c>device: cuda</c>, and <paramref name="gpuAvailable"/> says a GPU is usable: asked only then, since it
    /// initialises CUDA) gets at most <see cref="GpuWorkers"/> unless workers was set.
    /// </summary>
    public int WorkersFor(PipelineSpec pipeline, Func<bool> gpuAvailable) =>
        !WorkersSet && UsesGpu(pipeline, gpuAvailable) ? Math.Min(GpuWorkers, Workers) : Workers;

    /// <summary>Whether a component of <paramref name="pipeline"/> runs on the GPU (<c>device: cuda</c> and a usable GPU, asked only then).</summary>
    public static bool UsesGpu(PipelineSpec pipeline, Func<bool> gpuAvailable) =>
        pipeline.Components().Any(c => c.Spec.Device == "cuda") && gpuAvailable();

    internal BatchingSettings BatchingFor(string pipeline) =>
        PipelineBatching.TryGetValue(pipeline, out var own) ? own : Batching;
}

/// <summary>Command-line overrides applied over <c>serve.yaml</c> on every load.</summary>
public sealed record ServeOverrides
{
    /// <summary>A schema file requests follow instead of serve.yaml's (<c>--schema</c>).</summary>
    public string? SchemaPath { get; init; }

    /// <summary>The most requests per batch (<c>--max-batch-size</c>).</summary>
    public int? MaxBatchSize { get; init; }

    /// <summary>The most microseconds a request waits for others to join its batch (<c>--max-queue-delay-us</c>).</summary>
    public int? MaxQueueDelayMicroseconds { get; init; }

    /// <summary>The per-request deadline in milliseconds (<c>--deadline-ms</c>).</summary>
    public int? DeadlineMilliseconds { get; init; }

    /// <summary>Batches run concurrently per pipeline (<c>--workers</c>).</summary>
    public int? Workers { get; init; }

    /// <summary>Where pipeline files may name checkpoints and serve.yaml its schema (<c>--allow-path</c>; null: the default policy).</summary>
    public PathPolicy? Paths { get; init; }
}
