namespace Rerank.Abstractions;

/// <summary>Stable (process-independent) 64-bit hashing for seeds and sticky routing: FNV-1a and SplitMix64 mixing.</summary>
public static class StableHash
{
    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="text"/>.</summary>
    public static ulong Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var h = 14695981039346656037UL;
        foreach (var ch in text)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }

        return h;
    }

    /// <summary>Combines two values with the SplitMix64 finaliser.</summary>
    public static ulong Mix(ulong a, ulong b)
    {
        var z = a + 0x9E3779B97F4A7C15UL + (b * 0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
