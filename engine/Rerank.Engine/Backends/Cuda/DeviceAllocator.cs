using System.Collections.Concurrent;
using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>
/// A caching device allocator: requests are rounded up to a size class (powers of two from 256 bytes, then
/// multiples of 1/4 of the power of two above 1 MiB), freed blocks go back to their class's bucket and are reused;
/// when cuMemAlloc fails the cached blocks are freed and the allocation is retried once. Buckets belong to a
/// <see cref="DevicePool"/>: the shared one (the shared stream's) or a thread's own (<see cref="ThreadStream"/>). A
/// block goes back to the pool it was rented from, so it is only reused on the stream that last used it — stream order
/// makes that safe without events; a retired pool's blocks (its stream synchronised) join the shared pool. A graph's
/// pool (<see cref="NewGraphPool"/>) holds every block rented while the graph was captured for as long as the graph
/// lives — its replays write those addresses — so after the capture nothing rents from it and trimming skips it.
/// </summary>
internal sealed class DeviceAllocator
{
    private const int MinBytesLog2 = 8;

    private readonly DevicePool _shared = new();
    private readonly ConcurrentDictionary<DevicePool, byte> _pools = new();
    private long _reservedBytes;
    private long _cachedBytes;

    public DeviceAllocator() => _pools[_shared] = 0;

    /// <summary>Bytes obtained from the driver (in use + cached).</summary>
    public long ReservedBytes => Interlocked.Read(ref _reservedBytes);

    /// <summary>Bytes in free buckets.</summary>
    public long CachedBytes => Interlocked.Read(ref _cachedBytes);

    /// <summary>The size class that holds <paramref name="bytes"/>.</summary>
    public static long SizeClass(long bytes)
    {
        var min = 1L << MinBytesLog2;
        if (bytes <= min)
        {
            return min;
        }

        var pow = 1L << (int)(64 - long.LeadingZeroCount(bytes - 1));
        if (pow <= 1L << 20)
        {
            return pow;
        }

        var quarter = pow / 8;
        return (bytes + quarter - 1) / quarter * quarter;
    }

    /// <summary>A new pool for a thread's own stream.</summary>
    public DevicePool NewPool()
    {
        var pool = new DevicePool();
        _pools[pool] = 0;
        return pool;
    }

    /// <summary>A pool for the blocks of one captured graph (see <see cref="DevicePool.Seal"/>); retire it when the graph is destroyed.</summary>
    public DevicePool NewGraphPool()
    {
        var pool = new DevicePool(graph: true);
        _pools[pool] = 0;
        return pool;
    }

    /// <summary>A block of at least <paramref name="bytes"/> from <paramref name="pool"/> (null: the shared pool).</summary>
    public DeviceMemoryHandle Rent(long bytes, DevicePool? pool = null)
    {
        pool ??= _shared;
        var size = SizeClass(Math.Max(4, bytes));
        if (pool.TryTake(size, out var cached))
        {
            Interlocked.Add(ref _cachedBytes, -size);
            return new DeviceMemoryHandle(this, cached, size, pool);
        }

        var r = DriverApi.TryAlloc((nuint)size, out var pointer);
        if (r != 0)
        {
            Trim();
            r = DriverApi.TryAlloc((nuint)size, out pointer);
            DriverApi.Check(r, $"cuMemAlloc({size} bytes; {ReservedBytes} bytes already reserved)");
        }

        Interlocked.Add(ref _reservedBytes, size);
        return new DeviceMemoryHandle(this, pointer, size, pool);
    }

    /// <summary>Puts a block back into its pool's bucket, or the shared pool's once its pool is retired (called by <see cref="DeviceMemoryHandle"/>'s release).</summary>
    public void Return(ulong pointer, long size, DevicePool pool)
    {
        if (!pool.TryAdd(size, pointer))
        {
            _shared.TryAdd(size, pointer);
        }

        Interlocked.Add(ref _cachedBytes, size);
    }

    /// <summary>Moves a thread pool's cached blocks to the shared pool; its stream must have been synchronised.</summary>
    public void Retire(DevicePool pool)
    {
        _pools.TryRemove(pool, out _);
        foreach (var (size, pointer) in pool.Retire())
        {
            _shared.TryAdd(size, pointer);
        }
    }

    /// <summary>Frees every cached block.</summary>
    public void Trim()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        foreach (var pool in _pools.Keys.Where(p => !p.IsGraph))
        {
            foreach (var (size, pointer) in pool.Drain())
            {
                _ = DriverApi.Free(pointer);
                Interlocked.Add(ref _cachedBytes, -size);
                Interlocked.Add(ref _reservedBytes, -size);
            }
        }
    }
}

/// <summary>The free buckets of one stream's blocks, by size class.</summary>
internal sealed class DevicePool(bool graph = false)
{
    private readonly ConcurrentDictionary<long, ConcurrentBag<ulong>> _free = new();
    private readonly Lock _gate = new();
    private bool _retired;
    private volatile bool _sealed;

    /// <summary>A captured graph's pool: never trimmed; sealed once the capture ends.</summary>
    public bool IsGraph { get; } = graph;

    public bool TryTake(long size, out ulong pointer)
    {
        pointer = 0;
        return !_sealed && _free.TryGetValue(size, out var bag) && bag.TryTake(out pointer);
    }

    /// <summary>
    /// Ends reuse: blocks returned later (tensors of the capture collected or disposed) stay here, unused, until the pool
    /// is retired — a graph replays into them, so no other tensor may get one while the graph exists.
    /// </summary>
    public void Seal() => _sealed = true;

    /// <summary>Adds a free block; false once the pool is retired (the caller gives it to the shared pool).</summary>
    public bool TryAdd(long size, ulong pointer)
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }

            _free.GetOrAdd(size, _ => []).Add(pointer);
            return true;
        }
    }

    /// <summary>Marks the pool retired (later returns go to the shared pool) and takes its blocks.</summary>
    public List<(long Size, ulong Pointer)> Retire()
    {
        lock (_gate)
        {
            _retired = true;
        }

        return Drain();
    }

    /// <summary>Takes every free block.</summary>
    public List<(long Size, ulong Pointer)> Drain()
    {
        var blocks = new List<(long, ulong)>();
        foreach (var (size, bag) in _free)
        {
            while (bag.TryTake(out var p))
            {
                blocks.Add((size, p));
            }
        }

        return blocks;
    }
}
