namespace Rerank.Engine.Backends.Cpu;

/// <summary>One piece of parallel work, cached by its kernel so that dispatching allocates nothing.</summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> on worker slot <paramref name="worker"/>.</summary>
    void Execute(int part, int parts, int worker);
}

/// <summary>
/// A fixed set of background threads (threads − 1 of them) that, with the caller, run the parts of one
/// <see cref="IParallelWork"/>. Parts are claimed one at a time (a compare-and-swap per part), so when a worker is
/// late — the machine is shared — the caller simply runs the remaining parts itself instead of waiting.
/// Kernels split only their outputs across parts, never a reduction, so results are bit-identical for any
/// thread count and any assignment of parts to threads. A caller that finds the workers busy with another
/// thread's kernel runs its parts itself (concurrent requests never queue behind each other).
/// </summary>
internal static class ParallelRunner
{
    private const int Unclaimed = 0;
    private const int Running = 1;
    private const int Done = 2;
    private const int MaxParts = 256;

    private static readonly Lock Gate = new();
    private static readonly int[] States = CreateStates();
    private static Worker[] _workers = [];
    private static int _threads = Math.Max(1, Environment.ProcessorCount);
    private static IParallelWork? _job;
    private static int _parts;
    private static Exception? _error;

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

    /// <summary>How many parts to cut work into: a few per thread, so a late thread costs little.</summary>
    public static int PartsFor(int units) => Math.Clamp(Math.Min(units, _threads * 4), 1, MaxParts);

    /// <summary>Runs <paramref name="parts"/> parts (at most 256). Serial when nested or single-threaded.</summary>
    public static void Run(IParallelWork work, int parts)
    {
        var threads = _threads;
        if (parts <= 1 || _inside || threads == 1)
        {
            for (var p = 0; p < parts; p++)
            {
                work.Execute(p, parts, 0);
            }

            return;
        }

        parts = Math.Min(parts, MaxParts);
        var workers = EnsureWorkers(threads - 1);

        // Another thread (a concurrent request) holds the workers: run serially rather than wait.
        if (!Gate.TryEnter())
        {
            for (var p = 0; p < parts; p++)
            {
                work.Execute(p, parts, 0);
            }

            return;
        }

        try
        {
            _error = null;
            Volatile.Write(ref _job, work);
            Volatile.Write(ref _parts, parts);
            for (var p = 0; p < parts; p++)
            {
                Volatile.Write(ref States[p], Unclaimed);
            }

            for (var i = 0; i < threads - 1; i++)
            {
                workers[i].Wake();
            }

            _inside = true;
            try
            {
                Drain(0);
            }
            finally
            {
                _inside = false;
            }

            var spin = default(SpinWait);
            for (var p = 0; p < parts; p++)
            {
                while (Volatile.Read(ref States[p]) != Done)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }
            }

            if (_error is { } e)
            {
                _error = null;
                throw new InvalidOperationException($"Engine kernel failed on a worker thread: {e.Message}", e);
            }
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>Claims and runs parts until none is left; the job is read after each claim, so it is the claimed part's job.</summary>
    private static void Drain(int slot)
    {
        var parts = Volatile.Read(ref _parts);
        for (var p = 0; p < parts; p++)
        {
            if (Interlocked.CompareExchange(ref States[p], Running, Unclaimed) != Unclaimed)
            {
                continue;
            }

            try
            {
                Volatile.Read(ref _job)!.Execute(p, Volatile.Read(ref _parts), slot);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            finally
            {
                Volatile.Write(ref States[p], Done);
            }
        }
    }

    private static int[] CreateStates()
    {
        var s = new int[MaxParts];
        Array.Fill(s, Done);
        return s;
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

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _go = new(false, spinCount: 200);
        private readonly int _slot;

        public Worker(int slot)
        {
            _slot = slot;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"rerank-engine-{slot}" };
            thread.Start();
        }

        public void Wake() => _go.Set();

        private void Loop()
        {
            _inside = true;
            while (true)
            {
                _go.Wait();
                _go.Reset();
                Drain(_slot);
            }
        }
    }
}
