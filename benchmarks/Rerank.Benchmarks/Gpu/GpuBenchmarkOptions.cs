namespace Rerank.Benchmarks;

/// <summary>Options of <see cref="GpuBenchmark"/>: batch B, candidates N, slate size L, timing and seed.</summary>
/// <param name="Batch">Requests per batch (B).</param>
/// <param name="Candidates">Candidates per request (N).</param>
/// <param name="SlateSize">Slate length (L, at most 10 positions).</param>
/// <param name="MinSeconds">Minimum measured time per backend.</param>
/// <param name="MinIterations">Minimum measured batches per backend.</param>
/// <param name="WarmupIterations">Unmeasured batches first (kernel compile, pool fill).</param>
/// <param name="Seed">Seed of the weights and the inputs.</param>
public sealed record GpuBenchmarkOptions(int Batch = 1024, int Candidates = 60, int SlateSize = 6, double MinSeconds = 2.0, int MinIterations = 3, int WarmupIterations = 2, ulong Seed = 1);

/// <summary>One backend's throughput on the NAR4Rec generator, or why it did not run.</summary>
/// <param name="Backend">"engine cpu", "engine cuda", "engine cuda graphs", "pytorch eager" or "pytorch cuda graphs".</param>
/// <param name="Device">The processor (CPU cores, or the GPU's name).</param>
/// <param name="Ran">Whether it ran.</param>
/// <param name="Iterations">Measured batches.</param>
/// <param name="MillisecondsPerBatch">Mean wall time of one batch: features in → slates out.</param>
/// <param name="RequestsPerSecond">B / seconds per batch.</param>
/// <param name="Note">Why it did not run, or details.</param>
public sealed record GpuBenchmarkRow(string Backend, string Device, bool Ran, int Iterations, double MillisecondsPerBatch, double RequestsPerSecond, string Note);
