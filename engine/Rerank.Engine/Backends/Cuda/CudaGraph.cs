using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>
/// One captured and instantiated CUDA graph: the kernels, GEMMs, copies and fills that a piece of host code queued on
/// the calling thread's stream, recorded once (cuStreamBeginCapture … cuStreamEndCapture, relaxed mode so the pooled
/// allocator may still cuMemAlloc) and replayed with one cuGraphLaunch. Every device block rented during the capture
/// comes from the graph's own pool and stays reserved until the graph is disposed (its replays write those addresses);
/// device tensors created during the capture bypass the <see cref="TensorScope"/> slots for the same reason.
/// </summary>
internal sealed class CudaGraph : IDisposable
{
    private readonly CudaRuntime _runtime;
    private readonly DevicePool _pool;
    private IntPtr _exec;

    private CudaGraph(CudaRuntime runtime, DevicePool pool, IntPtr exec, IntPtr stream)
    {
        _runtime = runtime;
        _pool = pool;
        _exec = exec;
        Stream = stream;
    }

    /// <summary>The stream the graph was captured on (and is launched on).</summary>
    public IntPtr Stream { get; }

    /// <summary>
    /// Records what <paramref name="record"/> queues on the calling thread's stream into a graph whose memory comes from
    /// <paramref name="pool"/> (a graph pool; sealed here). Null with the reason when the capture was refused — the
    /// code synchronised the stream, copied from pageable host memory, or threw — or when instantiation failed; the
    /// recorded work then never ran, and the caller runs the code eagerly instead.
    /// </summary>
    public static CudaGraph? TryCapture(CudaRuntime runtime, DevicePool pool, Action record, out string? failure)
    {
        if (!DriverApi.HasGraphs)
        {
            failure = "this CUDA driver has no stream capture (cuStreamBeginCapture_v2 / cuGraphInstantiateWithFlags: CUDA 11.4+)";
            return null;
        }

        runtime.MakeCurrent();
        var stream = runtime.StreamPtr;
        var tensors = TensorPool.Current;
        var wasCapturing = tensors.Capturing;
        DriverApi.BeginCapture(stream);
        Exception? error = null;
        try
        {
            using (CudaRuntime.UseGraphPool(pool))
            {
                tensors.Capturing = true;
                record();
            }
        }
        catch (Exception e) when (e is CudaException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            error = e;
        }
        finally
        {
            tensors.Capturing = wasCapturing;
        }

        var ended = DriverApi.EndCapture(stream, out var graph);
        pool.Seal();
        if (error is not null || ended != 0)
        {
            if (graph != IntPtr.Zero)
            {
                _ = DriverApi.DestroyGraph(graph);
            }

            failure = error is not null ? error.Message.ReplaceLineEndings(" ") : $"cuStreamEndCapture failed: {DriverApi.Describe(ended)}";
            return null;
        }

        try
        {
            var exec = DriverApi.Instantiate(graph);
            failure = null;
            return new CudaGraph(runtime, pool, exec, stream);
        }
        catch (CudaException e)
        {
            failure = e.Message;
            return null;
        }
        finally
        {
            _ = DriverApi.DestroyGraph(graph);
        }
    }

    /// <summary>Queues one replay on the stream it was captured on.</summary>
    public void Launch()
    {
        ObjectDisposedException.ThrowIf(_exec == IntPtr.Zero, this);
        _runtime.MakeCurrent();
        DriverApi.LaunchGraph(_exec, Stream);
    }

    /// <summary>Waits for the replays queued (on any stream: a worker's own may be gone), destroys the executable graph and gives its blocks back to the shared pool.</summary>
    public void Dispose()
    {
        if (_exec == IntPtr.Zero)
        {
            return;
        }

        _runtime.MakeCurrent();
        DriverApi.SynchronizeContext();
        _ = DriverApi.DestroyGraphExec(_exec);
        _exec = IntPtr.Zero;
        _runtime.Allocator.Retire(_pool);
    }
}
