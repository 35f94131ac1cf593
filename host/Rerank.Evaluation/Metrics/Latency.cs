namespace Rerank.Evaluation.Metrics;

/// <summary>Latency percentiles by the nearest-rank method: the p-th percentile of n samples is the ⌈p/100·n⌉-th smallest.</summary>
public static class Latency
{
    /// <summary>The <paramref name="percentile"/>-th percentile (0 &lt; p ≤ 100) of <paramref name="samples"/>; NaN when empty.</summary>
    public static double Percentile(ReadOnlySpan<double> samples, double percentile)
    {
        Span<double> result = stackalloc double[1];
        Percentiles(samples, [percentile], result);
        return result[0];
    }

    /// <summary>Several percentiles at once (one sort).</summary>
    public static void Percentiles(ReadOnlySpan<double> samples, ReadOnlySpan<double> percentiles, Span<double> results)
    {
        if (results.Length < percentiles.Length)
        {
            throw new ArgumentException($"{percentiles.Length} percentiles need as many results, got {results.Length}.", nameof(results));
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        for (var i = 0; i < percentiles.Length; i++)
        {
            var p = percentiles[i];
            if (!(p > 0 && p <= 100))
            {
                throw new ArgumentOutOfRangeException(nameof(percentiles), p, "A percentile must be in (0, 100].");
            }

            results[i] = sorted.Length == 0
                ? double.NaN
                : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    /// <summary>Requests per second.</summary>
    public static double Throughput(int requests, TimeSpan elapsed) =>
        elapsed > TimeSpan.Zero ? requests / elapsed.TotalSeconds : double.NaN;
}
