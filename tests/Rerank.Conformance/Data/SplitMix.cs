using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>A tiny seeded generator (SplitMix64) whose stream is fixed by this file, not by the runtime's Random.</summary>
internal sealed class SplitMix
{
    private ulong _state;

    public SplitMix(ulong seed, string purpose) => _state = StableHash.Mix(seed, StableHash.Of(purpose));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n).</summary>
    public int Next(int n) => (int)(NextDouble() * n);

    /// <summary>Uniform in [lo, hi].</summary>
    public int Between(int lo, int hi) => lo + Next(hi - lo + 1);

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Gaussian()
    {
        var u = 1 - NextDouble();
        var v = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
