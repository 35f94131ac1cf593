namespace Rerank.Benchmarks;

/// <summary>What <see cref="EngineBenchmark.Run"/> measures.</summary>
/// <param name="GemmSizes">Square SGEMM sizes n (n×n·n×n).</param>
/// <param name="Batch">Requests per batch B.</param>
/// <param name="Candidates">Candidates per request N.</param>
/// <param name="Dimension">Model width d.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="FeedForward">Encoder feed-forward width.</param>
/// <param name="Layers">Encoder layers.</param>
/// <param name="Threads">Kernel threads (null: all cores).</param>
/// <param name="MinSecondsPerCase">Each case repeats until this much time has passed (after warm-up).</param>
/// <param name="Seed">Seed for weights and inputs.</param>
public sealed record EngineBenchmarkOptions(
    IReadOnlyList<int>? GemmSizes = null,
    int Batch = 256,
    int Candidates = 60,
    int Dimension = 64,
    int Heads = 4,
    int FeedForward = 256,
    int Layers = 2,
    int? Threads = null,
    double MinSecondsPerCase = 1.0,
    ulong Seed = 1)
{
    /// <summary>The SGEMM sizes to run (64…1024 by default).</summary>
    public IReadOnlyList<int> EffectiveGemmSizes => GemmSizes ?? [64, 128, 256, 512, 1024];
}

/// <summary>One line of the benchmark table.</summary>
/// <param name="Case">What was measured.</param>
/// <param name="Value">The measurement.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Target">The target as text, or empty.</param>
/// <param name="Met">Whether the target is met (null when there is none).</param>
/// <param name="Note">Extra detail (per-batch time, fraction of peak, …).</param>
public sealed record BenchmarkRow(string Case, double Value, string Unit, string Target, bool? Met, string Note);
