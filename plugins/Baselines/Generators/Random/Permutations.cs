namespace Rerank.Plugins.Baselines;

/// <summary>Counts and enumerates ordered selections of L out of N candidates.</summary>
internal static class Permutations
{
    /// <summary>N!/(N−L)!, or <paramref name="cap"/> when it is at least that large.</summary>
    public static long Count(int n, int length, long cap)
    {
        var total = 1L;
        for (var k = 0; k < length && total < cap; k++)
        {
            total *= n - k;
        }

        return Math.Min(total, cap);
    }

    /// <summary>Every ordered selection of <paramref name="length"/> distinct indices below <paramref name="n"/>, in lexicographic order.</summary>
    public static IEnumerable<int[]> All(int n, int length)
    {
        var prefix = new int[length];
        var used = new bool[n];
        return Extend(prefix, used, 0, n);
    }

    private static IEnumerable<int[]> Extend(int[] prefix, bool[] used, int depth, int n)
    {
        if (depth == prefix.Length)
        {
            yield return (int[])prefix.Clone();
            yield break;
        }

        for (var i = 0; i < n; i++)
        {
            if (used[i])
            {
                continue;
            }

            used[i] = true;
            prefix[depth] = i;
            foreach (var p in Extend(prefix, used, depth + 1, n))
            {
                yield return p;
            }

            used[i] = false;
        }
    }
}
