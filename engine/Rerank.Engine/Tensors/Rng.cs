namespace Rerank.Engine;

/// <summary>A seeded xoshiro128** generator: the same seed gives the same stream on every machine and runtime.</summary>
public sealed class Rng
{
    private uint _s0, _s1, _s2, _s3;
    private float _spare;
    private bool _hasSpare;

    /// <summary>Seeds the generator (SplitMix64 expands the seed into the state).</summary>
    public Rng(ulong seed)
    {
        var x = seed;
        _s0 = (uint)SplitMix(ref x);
        _s1 = (uint)SplitMix(ref x);
        _s2 = (uint)SplitMix(ref x);
        _s3 = (uint)SplitMix(ref x);
    }

    /// <summary>The next 32 random bits.</summary>
    public uint NextUInt()
    {
        var result = uint.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = uint.RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>A float uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt() >> 8) * (1f / (1 << 24));

    /// <summary>An int uniform in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive) =>
        maxExclusive > 0 ? (int)(((ulong)NextUInt() * (ulong)maxExclusive) >> 32) : throw new ArgumentOutOfRangeException(nameof(maxExclusive), "Upper bound must be positive.");

    /// <summary>A standard normal draw (Box–Muller, pairs cached).</summary>
    public float NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        float u1;
        do
        {
            u1 = NextFloat();
        }
        while (u1 <= 1e-12f);
        var u2 = NextFloat();
        var r = MathF.Sqrt(-2f * MathF.Log(u1));
        _spare = r * MathF.Sin(2f * MathF.PI * u2);
        _hasSpare = true;
        return r * MathF.Cos(2f * MathF.PI * u2);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
