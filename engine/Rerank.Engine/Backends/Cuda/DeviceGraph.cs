using System.Collections.Concurrent;
using Rerank.Engine.Backends;
using Rerank.Engine.Backends.Cuda;
using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine;

/// <summary>
/// An inference function replayed as a CUDA graph: the first call for a set of input shapes runs the function once
/// eagerly (lazy set-up stays out of the graph), then records everything it queues on the device — a few hundred kernel
/// launches and GEMMs for a small transformer — into a graph over fixed input and output buffers, and every later call
/// with those shapes copies the inputs in and replays the graph with one launch. Each thread (and so each serving
/// worker's own stream) gets its own graphs and buffers, so concurrent calls never share them.
/// </summary>
/// <remarks>
/// <para>The function must be pure device work given its inputs: no host-side reads of device data (downloads, which
/// synchronise), no uploads from host arrays built inside it (index lists — pass them as inputs), the same shapes in
/// the same order on every call. When a capture is refused (the driver rejects a synchronisation or a pageable copy
/// while capturing) that shape falls back to eager calls, and <see cref="Fallbacks"/> says why; on the CPU, without a
/// driver that captures, or with <c>enabled: false</c>, every call is eager. Calls never record gradients. Pad batches
/// to a few sizes (<see cref="BucketSize"/>) so a handful of graphs serve every request.</para>
/// <para>The tensors a replay returns are the graph's output buffers: read or copy them before the same thread's next call.
/// Graphs keep their device memory until <see cref="Dispose"/>.</para>
/// </remarks>
public sealed class DeviceGraph : IDisposable
{
    private readonly Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> _body;
    // per (thread, stream): its graphs, one per shape set — looked up by comparing shapes, so a replay allocates nothing
    private readonly ConcurrentDictionary<(int Thread, IntPtr Stream), List<Entry>> _entries = new();
    private bool _disposed;

    /// <summary>A graph-replayed <paramref name="body"/> on <paramref name="device"/>.</summary>
    /// <param name="device">Where the function's tensors live; inputs elsewhere are copied there.</param>
    /// <param name="body">The function: input tensors (on <paramref name="device"/>) to one output tensor.</param>
    /// <param name="enabled">False runs every call eagerly (a switch for comparing or for debugging).</param>
    public DeviceGraph(Device device, Func<IReadOnlyList<Tensor>, Tensor> body, bool enabled = true)
        : this(device, WithOneOutput(body), enabled)
    {
    }

    /// <summary>A graph-replayed <paramref name="body"/> with several outputs (<see cref="RunAll"/>).</summary>
    /// <param name="device">Where the function's tensors live; inputs elsewhere are copied there.</param>
    /// <param name="body">The function: input tensors (on <paramref name="device"/>) to its output tensors.</param>
    /// <param name="enabled">False runs every call eagerly.</param>
    public DeviceGraph(Device device, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> body, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(body);
        Device = device;
        _body = body;
        Enabled = enabled && device.Kind == DeviceKind.Cuda;
    }

    /// <summary>The device the function runs on.</summary>
    public Device Device { get; }

    /// <summary>Whether calls may replay graphs (false on the CPU or when disabled).</summary>
    public bool Enabled { get; }

    /// <summary>How many graphs were captured and are being replayed.</summary>
    public int GraphCount => Entries().Count(e => e.Graph is not null);

    /// <summary>The shapes that run eagerly because their capture was refused, each with the driver's reason.</summary>
    public IReadOnlyList<string> Fallbacks => [.. Entries().Where(e => e.Failure is not null).Select(e => $"{e.Shapes}: {e.Failure}")];

    /// <summary>The smallest power of two ≥ <paramref name="count"/>, capped at <paramref name="max"/>: the size to pad a batch of <paramref name="count"/> to.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in 1..<paramref name="max"/>.</exception>
    public static int BucketSize(int count, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, max);
        return (int)Math.Min(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count), (uint)max);
    }

    /// <summary>
    /// The function's output for <paramref name="inputs"/>: a graph replay when one is captured for these shapes on
    /// this thread, else an eager call. A replayed output is valid until this thread's next call.
    /// </summary>
    /// <exception cref="ArgumentException">No inputs.</exception>
    public Tensor Run(params IReadOnlyList<Tensor> inputs) => RunAll(inputs)[0];

    /// <summary>Every output of the function for <paramref name="inputs"/> (see <see cref="Run"/>).</summary>
    /// <exception cref="ArgumentException">No inputs.</exception>
    public IReadOnlyList<Tensor> RunAll(params IReadOnlyList<Tensor> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("A device graph needs at least one input tensor.", nameof(inputs));
        }

        if (!Enabled || !Cuda.TryInitialize(out _))
        {
            return Eager(inputs);
        }

        var runtime = Cuda.Runtime();
        var mine = _entries.GetOrAdd((Environment.CurrentManagedThreadId, runtime.StreamPtr), _ => []);
        var entry = Find(mine, inputs);
        if (entry is null)
        {
            entry = Capture(runtime, inputs);
            lock (mine)
            {
                mine.Add(entry);
            }

            if (entry.Graph is null)
            {
                return Eager(inputs);
            }
        }
        else if (entry.Graph is null)
        {
            return Eager(inputs);
        }
        else
        {
            entry.CopyIn(runtime, inputs);
        }

        entry.Graph.Launch();
        return entry.Outputs!;
    }

    /// <summary>Waits for queued replays and frees every graph and its buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var entry in Entries())
        {
            entry.Dispose();
        }

        _entries.Clear();
    }

    private static Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> WithOneOutput(Func<IReadOnlyList<Tensor>, Tensor> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return x => [body(x)];
    }

    /// <summary>One eager call, without gradient recording like the captured one (so both take the same kernels).</summary>
    private IReadOnlyList<Tensor> Eager(IReadOnlyList<Tensor> inputs)
    {
        using var noGrad = Autograd.NoGrad();
        return _body([.. inputs.Select(t => t.ToDevice(Device))]);
    }

    /// <summary>Runs the function once eagerly, then captures it over fixed buffers holding <paramref name="inputs"/>.</summary>
    /// <summary>The calling thread's entry for the shapes of <paramref name="inputs"/>, if it has one (only this thread adds to <paramref name="mine"/>).</summary>
    private static Entry? Find(List<Entry> mine, IReadOnlyList<Tensor> inputs)
    {
        foreach (var e in mine)
        {
            if (e.Fits(inputs))
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>Every entry of every thread (a snapshot: other threads may be adding theirs).</summary>
    private List<Entry> Entries()
    {
        var all = new List<Entry>();
        foreach (var list in _entries.Values)
        {
            lock (list)
            {
                all.AddRange(list);
            }
        }

        return all;
    }

    private Entry Capture(CudaRuntime runtime, IReadOnlyList<Tensor> inputs)
    {
        using (TensorScope.Inference())
        {
            _ = Eager(inputs);
        }

        var pool = runtime.Allocator.NewGraphPool();
        var backend = (CudaBackend)Backend.For(Device);
        Tensor[] fixedInputs;
        using (CudaRuntime.UseGraphPool(pool))
        {
            fixedInputs = [.. inputs.Select(t => new Tensor(backend.Allocate(t.Count), 0, t.Shape))];
        }

        var entry = new Entry(runtime, pool, fixedInputs);
        entry.CopyIn(runtime, inputs);
        Tensor[]? outputs = null;
        CudaGraph? graph;
        string? failure;
        try
        {
            graph = CudaGraph.TryCapture(runtime, pool, Record, out failure);
        }
        catch
        {
            entry.Complete(null, null, "the function threw while being captured"); // frees the buffers; the bug propagates
            throw;
        }

        entry.Complete(graph, outputs, failure);
        return entry;

        void Record()
        {
            using var scope = TensorScope.Inference();
            var ys = _body(fixedInputs);
            if (ys.Count == 0)
            {
                throw new InvalidOperationException("the function returned no output");
            }

            if (ys.FirstOrDefault(y => y.Device != Device) is { } elsewhere)
            {
                throw new InvalidOperationException($"the function's output{elsewhere.Describe()} is on {elsewhere.Device}, not {Device}");
            }

            outputs = [.. ys.Select(y => new Tensor(y.Storage, y.Offset, y.Shape))];
        }
    }

    /// <summary>One shape set on one thread: the fixed inputs, the staging buffers, the graph and its output (or why there is none).</summary>
    private sealed class Entry(CudaRuntime runtime, DevicePool pool, Tensor[] inputs) : IDisposable
    {
        private readonly PinnedBuffer?[] _staging = new PinnedBuffer?[inputs.Length];

        public string Shapes => string.Join(" ", inputs.Select(t => t.Shape.ToString()));

        /// <summary>Whether <paramref name="values"/> have the fixed inputs' shapes.</summary>
        public bool Fits(IReadOnlyList<Tensor> values)
        {
            if (values.Count != inputs.Length)
            {
                return false;
            }

            for (var i = 0; i < inputs.Length; i++)
            {
                if (!values[i].Shape.Equals(inputs[i].Shape))
                {
                    return false;
                }
            }

            return true;
        }

        public CudaGraph? Graph { get; private set; }

        public Tensor[]? Outputs { get; private set; }

        public string? Failure { get; private set; }

        public void Complete(CudaGraph? graph, Tensor[]? outputs, string? failure)
        {
            Graph = graph;
            Outputs = outputs;
            Failure = graph is null ? failure ?? "the capture failed" : null;
            if (graph is null)
            {
                Dispose();
            }
        }

        /// <summary>Queues the copies of <paramref name="values"/> into the fixed inputs: device to device, or from the host through page-locked staging.</summary>
        public unsafe void CopyIn(CudaRuntime rt, IReadOnlyList<Tensor> values)
        {
            var synchronised = false;
            for (var i = 0; i < inputs.Length; i++)
            {
                var src = values[i];
                var dst = inputs[i];
                if (src.Storage is CudaStorage)
                {
                    Backend.Of(dst).Copy(src, dst);
                    continue;
                }

                if (!synchronised)
                {
                    // the previous call's copies out of the staging buffers must have run before they are overwritten
                    rt.Synchronize();
                    synchronised = true;
                }

                var staging = _staging[i] ??= new PinnedBuffer(rt, dst.Count);
                src.CopyTo(staging.Span);
                rt.MakeCurrent();
                DriverApi.CopyHostToDevice(CudaBackend.D(dst), staging.Pointer, (nuint)dst.Count * sizeof(float), rt.StreamPtr);
            }
        }

        public void Dispose()
        {
            if (Graph is not null)
            {
                Graph.Dispose();
                Graph = null;
            }
            else
            {
                runtime.Synchronize();
                runtime.Allocator.Retire(pool);
            }

            foreach (var s in _staging)
            {
                s?.Dispose();
            }
        }
    }
}
