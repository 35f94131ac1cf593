namespace Rerank.Benchmarks;

/// <summary>What <c>rerank bench serve</c> measures.</summary>
public sealed record ServeBenchOptions
{
    /// <summary>The pipeline (or split) to call.</summary>
    public required string Pipeline { get; init; }

    /// <summary>Concurrent clients, each with its own connection.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Measured requests (after warm-up).</summary>
    public int Requests { get; init; } = 20_000;

    /// <summary>Unmeasured requests sent first (JIT, pools, batch sizes settle).</summary>
    public int WarmupRequests { get; init; } = 10_000;

    /// <summary>N, candidates per request.</summary>
    public int Candidates { get; init; } = 50;

    /// <summary>L, the slate size.</summary>
    public int SlateSize { get; init; } = 10;

    /// <summary>Distinct request bodies cycled through.</summary>
    public int DistinctBodies { get; init; } = 256;

    /// <summary>Seed of the synthetic request bodies.</summary>
    public ulong Seed { get; init; } = 7;

    /// <summary>Which HTTP client drives the load.</summary>
    public BenchClient Client { get; init; } = BenchClient.Raw;
}

/// <summary>The load generator's HTTP client.</summary>
public enum BenchClient
{
    /// <summary>Pre-encoded HTTP/1.1 requests on raw keep-alive sockets (cheap per request, like wrk).</summary>
    Raw,

    /// <summary><see cref="System.Net.Http.HttpClient"/> (what a .NET caller would use; several times the client CPU per request).</summary>
    HttpClient,
}

/// <summary>What a benchmark run measured.</summary>
/// <param name="Requests">Measured requests.</param>
/// <param name="Concurrency">Concurrent clients.</param>
/// <param name="Seconds">Wall time of the measured phase.</param>
/// <param name="Throughput">Requests per second.</param>
/// <param name="P50Ms">Median latency.</param>
/// <param name="P90Ms">90th percentile latency.</param>
/// <param name="P99Ms">99th percentile latency.</param>
/// <param name="MaxMs">Slowest request.</param>
/// <param name="Failed">Non-200 answers and transport errors.</param>
/// <param name="Fallbacks">Answers with <c>fallback: true</c>.</param>
/// <param name="MeanBatchSize">Mean batch size the server ran (in-process servers only; 0 otherwise).</param>
public sealed record ServeBenchResult(int Requests, int Concurrency, double Seconds, double Throughput, double P50Ms, double P90Ms, double P99Ms, double MaxMs, int Failed, int Fallbacks, double MeanBatchSize)
{
    /// <summary>The load generator's client ("raw" or "httpclient").</summary>
    public string Client { get; init; } = "raw";

    /// <summary>CPU time of this process per measured request, in µs (client only with --url; client and server in-process).</summary>
    public double CpuMicrosecondsPerRequest { get; init; }
}
