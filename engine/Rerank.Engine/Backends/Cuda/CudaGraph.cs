using System.Runtime.InteropServices;
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
    private readonly GraphExecHandle _exec;

    private CudaGraph(GraphExecHandle exec, IntPtr stream)
    {
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
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            tensors.Capturing = wasCapturing;
        }

        // the capture always ends, whatever was thrown: a stream left capturing would refuse all later work
        var ended = DriverApi.EndCapture(stream, out var graph);
        pool.Seal();
        if (error is not null || ended != 0)
        {
            if (graph != IntPtr.Zero)
            {
                _ = DriverApi.DestroyGraph(graph);
            }

            if (error is not null and not (CudaException or InvalidOperationException or NotSupportedException or ArgumentException))
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error); // a bug in the function, not a refusal to capture
            }

            failure = error is not null ? error.Message.ReplaceLineEndings(" ") : $"cuStreamEndCapture failed: {DriverApi.Describe(ended)}";
            return null;
        }

        try
        {
            var exec = DriverApi.Instantiate(graph);
            failure = null;
            return new CudaGraph(new GraphExecHandle(runtime, pool, exec), stream);
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
        ObjectDisposedException.ThrowIf(_exec.IsClosed, this);
        _exec.Runtime.MakeCurrent();
        DriverApi.LaunchGraph(_exec.DangerousGetHandle(), Stream);
    }

    /// <summary>Waits for queued work, destroys the executable graph and gives its blocks back to the shared pool (also when collected).</summary>
    public void Dispose() => _exec.Dispose();
}

/// <summary>
/// An instantiated graph and the pool of the memory it replays into: released (Dispose, or the finalizer of a graph
/// nobody holds any more — a hot-swapped pipeline's) by waiting for every stream's work (a worker's own stream may be
/// gone), destroying the graph, and retiring its pool into the shared one.
/// </summary>
internal sealed class GraphExecHandle : SafeHandle
{
    private readonly DevicePool _pool;

    public GraphExecHandle(CudaRuntime runtime, DevicePool pool, IntPtr exec)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        Runtime = runtime;
        _pool = pool;
        SetHandle(exec);
    }

    public CudaRuntime Runtime { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Runtime.MakeCurrent();
        var synchronised = DriverApi.TrySynchronizeContext() == 0;
        var destroyed = DriverApi.DestroyGraphExec(handle) == 0;
        if (synchronised)
        {
            Runtime.Allocator.Retire(_pool); // only once nothing can still write the blocks
        }

        return destroyed;
    }
}
