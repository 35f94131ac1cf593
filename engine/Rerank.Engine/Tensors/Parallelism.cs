using Rerank.Engine.Backends.Cpu;

namespace Rerank.Engine;

/// <summary>
/// How many threads CPU kernels use (default: all cores). Kernels split only their outputs across threads,
/// never a sum, so results are bit-identical for any setting; see docs/engine.md.
/// </summary>
public static class Parallelism
{
    /// <summary>The thread count (≥ 1), shared by every kernel in the process.</summary>
    public static int Threads
    {
        get => ParallelRunner.Threads;
        set => ParallelRunner.Threads = value;
    }
}
