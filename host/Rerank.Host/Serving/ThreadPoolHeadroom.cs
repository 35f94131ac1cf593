namespace Rerank.Host.Serving;

/// <summary>
/// Batch workers run pipelines synchronously on thread-pool threads (inference is CPU-bound), so each holds a pool
/// thread for as long as its batch runs — a slow stage for its whole run. The pool must still have threads left for
/// reading requests and for firing deadlines, or a late stage delays the very fallback answers its deadline should
/// trigger while the pool injects threads one by one (about two a second). So when a graph is built the pool's
/// minimum is raised to twice its batch workers (the old graph's drain while the new one starts) plus the cores;
/// it is never lowered.
/// </summary>
internal static class ThreadPoolHeadroom
{
    /// <summary>The minimum worker-thread count a graph with <paramref name="batchWorkers"/> batch workers needs.</summary>
    public static int For(int batchWorkers) => (2 * batchWorkers) + Environment.ProcessorCount;

    /// <summary>Raises the thread pool's minimum worker threads to <see cref="For"/>(<paramref name="batchWorkers"/>) when it is lower.</summary>
    public static void Ensure(int batchWorkers)
    {
        var wanted = For(batchWorkers);
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, io);
        }
    }
}
