using Rerank.Abstractions;

namespace Rerank.Runtime.Randomness;

/// <summary>
/// A seeded random generator for data and metrics (simulated worlds, MovieLens negatives, random-list baselines, judge
/// lists): xoshiro256** seeded through SplitMix64, with Box–Muller normals; its sequence is fixed by this file,
/// not by the runtime (System.Random's algorithm is unspecified), so simulated files are stable across .NET versions.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spare;
    private bool _hasSpare;

    /// <summary>A generator whose whole sequence is fixed by <paramref name="seed"/> (expanded to the state by SplitMix64).</summary>
    public SeededRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>A generator with the given raw xoshiro256** state (for checking against the reference implementation).</summary>
    internal static SeededRandom FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        var r = new SeededRandom(0);
        (r._s0, r._s1, r._s2, r._s3) = (s0, s1, s2, s3);
        return r;
    }

    /// <summary>The first output of SplitMix64 seeded with <paramref name="seed"/> (the seeding step).</summary>
    internal static ulong SplitMixFirst(ulong seed)
    {
        var x = seed;
        return SplitMix(ref x);
    }

    /// <summary>A generator for one independent stream of <paramref name="seed"/> (e.g. one request).</summary>
    public static SeededRandom For(ulong seed, ulong stream) => new(StableHash.Mix(seed, stream));

    /// <summary>A generator for a named stream of <paramref name="seed"/>.</summary>
    public static SeededRandom For(ulong seed, string stream) => new(StableHash.Mix(seed, StableHash.Of(stream)));

    /// <summary>The next 64 uniformly random bits (xoshiro256**).</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1): never 0, so its logarithm is finite.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>Uniform integer in [0, <paramref name="n"/>) (Lemire's multiply-shift; bias below 2^-32 for n below 2^32).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return (int)Math.BigMul(NextUInt64(), (ulong)n, out _);
    }

    /// <summary>Bernoulli(<paramref name="p"/>).</summary>
    public bool Bernoulli(double p) => NextDouble() < p;

    /// <summary>Standard normal by the Box–Muller transform (polar form avoided so the sequence is fixed).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        var u1 = NextOpenDouble();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>Standard Gumbel: adding it to log-weights and taking the top k samples k items without replacement ∝ weight.</summary>
    public double NextGumbel() => -Math.Log(-Math.Log(NextOpenDouble()));

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
