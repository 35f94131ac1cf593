using System.Collections.Concurrent;
using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>
/// A caching device allocator: requests are rounded up to a size class (powers of two from 256 bytes, then
/// multiples of 1/4 of the power of two above 1 MiB), freed blocks go back to their class's bucket and are reused;
/// when cuMemAlloc fails the cached blocks are freed and the allocation is retried once.
/// </summary>
internal sealed class DeviceAllocator
{
    private const int MinBytesLog2 = 8;

    private readonly ConcurrentDictionary<long, ConcurrentBag<ulong>> _free = new();
    private long _reservedBytes;
    private long _cachedBytes;

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

    public DeviceMemoryHandle Rent(long bytes)
    {
        var size = SizeClass(Math.Max(4, bytes));
        if (_free.TryGetValue(size, out var bag) && bag.TryTake(out var cached))
        {
            Interlocked.Add(ref _cachedBytes, -size);
            return new DeviceMemoryHandle(this, cached, size);
        }

        var r = DriverApi.TryAlloc((nuint)size, out var pointer);
        if (r != 0)
        {
            Trim();
            r = DriverApi.TryAlloc((nuint)size, out pointer);
            DriverApi.Check(r, $"cuMemAlloc({size} bytes; {ReservedBytes} bytes already reserved)");
        }

        Interlocked.Add(ref _reservedBytes, size);
        return new DeviceMemoryHandle(this, pointer, size);
    }

    /// <summary>Puts a block back into its bucket (called by <see cref="DeviceMemoryHandle"/>'s release).</summary>
    public void Return(ulong pointer, long size)
    {
        _free.GetOrAdd(size, _ => []).Add(pointer);
        Interlocked.Add(ref _cachedBytes, size);
    }

    /// <summary>Frees every cached block.</summary>
    public void Trim()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        foreach (var (size, bag) in _free)
        {
            while (bag.TryTake(out var p))
            {
                _ = DriverApi.Free(p);
                Interlocked.Add(ref _cachedBytes, -size);
                Interlocked.Add(ref _reservedBytes, -size);
            }
        }
    }
}
