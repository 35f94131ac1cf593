namespace Rerank.Engine.Backends.Cpu;

/// <summary>One piece of parallel work, cached by its kernel so that dispatching allocates nothing.</summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> on worker slot <paramref name="worker"/>.</summary>
    void Execute(int part, int parts, int worker);
}

/// <summary>
/// A fixed set of background threads (threads − 1 of them; the caller is the last) that run the parts of one
/// <see cref="IParallelWork"/>. Kernels split only their outputs across parts, never a reduction, so results
/// are bit-identical for any thread count.
/// </summary>
internal static class ParallelRunner
{
    private static readonly Lock Gate = new();
    private static readonly PendingCounter Pending = new();
    private static Worker[] _workers = [];
    private static int _threads = Math.Max(1, Environment.ProcessorCount);

    [ThreadStatic]
    private static bool _inside;

    /// <summary>The number of threads kernels may use (the caller included).</summary>
    public static int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"Thread count must be at least 1, got {value}.");
    }

    /// <summary>Whether the current thread is already inside a parallel part (nested work runs serially).</summary>
    public static bool IsInside => _inside;

    /// <summary>Runs <paramref name="parts"/> parts; part 0 on the calling thread. Serial when nested or single-threaded.</summary>
    public static void Run(IParallelWork work, int parts)
    {
        if (parts <= 1 || _inside || _threads == 1)
        {
            for (var p = 0; p < parts; p++)
            {
                work.Execute(p, parts, 0);
            }

            return;
        }

        parts = Math.Min(parts, _threads);
        var workers = EnsureWorkers(parts - 1);
        lock (Gate)
        {
            var pending = Pending;
            pending.Reset(parts - 1);
            for (var i = 1; i < parts; i++)
            {
                workers[i - 1].Start(work, i, parts, pending);
            }

            _inside = true;
            try
            {
                work.Execute(0, parts, 0);
            }
            finally
            {
                _inside = false;
            }

            pending.WaitZero();
            for (var i = 1; i < parts; i++)
            {
                workers[i - 1].RethrowIfFailed();
            }
        }
    }

    private static Worker[] EnsureWorkers(int count)
    {
        var w = _workers;
        if (w.Length >= count)
        {
            return w;
        }

        lock (Gate)
        {
            if (_workers.Length < count)
            {
                var grown = new Worker[count];
                Array.Copy(_workers, grown, _workers.Length);
                for (var i = _workers.Length; i < count; i++)
                {
                    grown[i] = new Worker(i + 1);
                }

                _workers = grown;
            }

            return _workers;
        }
    }

    /// <summary>Counts outstanding parts; reused across dispatches.</summary>
    private sealed class PendingCounter
    {
        private int _count;

        public void Reset(int count) => Volatile.Write(ref _count, count);

        public void Signal() => Interlocked.Decrement(ref _count);

        public void WaitZero()
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref _count) > 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _go = new(false, spinCount: 200);
        private readonly int _slot;
        private IParallelWork? _work;
        private PendingCounter? _pending;
        private int _part;
        private int _parts;
        private Exception? _error;

        public Worker(int slot)
        {
            _slot = slot;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"rerank-engine-{slot}" };
            thread.Start();
        }

        public void Start(IParallelWork work, int part, int parts, PendingCounter pending)
        {
            _work = work;
            _part = part;
            _parts = parts;
            _pending = pending;
            _error = null;
            _go.Set();
        }

        public void RethrowIfFailed()
        {
            if (_error is { } e)
            {
                _error = null;
                throw new InvalidOperationException($"Engine worker {_slot} failed: {e.Message}", e);
            }
        }

        private void Loop()
        {
            _inside = true;
            while (true)
            {
                _go.Wait();
                _go.Reset();
                try
                {
                    _work!.Execute(_part, _parts, _slot);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _error = e;
                }

                _work = null;
                _pending!.Signal();
            }
        }
    }
}
