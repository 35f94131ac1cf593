using System.Buffers;

namespace Rerank.Evaluation.Metrics;

/// <summary>
/// Metrics of one ranked list: nDCG@K (linear gains, discount 1/log2(rank + 1)), average precision and recall at K.
/// <c>noRelevant</c> is what a list without any relevant item scores: 0 by default (LibRerank, scikit-learn);
/// allRank uses 1; pass <see cref="double.NaN"/> to skip such lists when averaging.
/// </summary>
internal static class RankingMetrics
{
    /// <summary>
    /// nDCG@K of the order by descending <paramref name="scores"/>; tied scores share the mean gain of their group
    /// (scikit-learn's ndcg_score with ignore_ties=False). The ideal orders <paramref name="gains"/> themselves.
    /// </summary>
    public static double Ndcg(ReadOnlySpan<double> scores, ReadOnlySpan<double> gains, int k, double noRelevant = 0.0)
    {
        ClassificationMetrics.Check(scores, gains);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var n = scores.Length;
        var keys = ArrayPool<double>.Shared.Rent(n);
        var values = ArrayPool<double>.Shared.Rent(n);
        try
        {
            for (var i = 0; i < n; i++)
            {
                keys[i] = -scores[i];
            }

            gains.CopyTo(values);
            Array.Sort(keys, values, 0, n);
            var dcg = 0.0;
            for (var i = 0; i < n && i < k;)
            {
                var j = i;
                var sum = 0.0;
                while (j < n && keys[j] == keys[i])
                {
                    sum += values[j];
                    j++;
                }

                var discounts = 0.0;
                for (var r = i; r < j && r < k; r++)
                {
                    discounts += Discount(r);
                }

                dcg += sum / (j - i) * discounts;
                i = j;
            }

            var ideal = IdealDcg(gains, k, values);
            return ideal > 0 ? dcg / ideal : noRelevant;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(keys);
            ArrayPool<double>.Shared.Return(values);
        }
    }

    /// <summary>nDCG@K of gains already in shown order (<paramref name="rankedGains"/>, e.g. a reranked slate) against the best order of <paramref name="pool"/>.</summary>
    public static double NdcgOfRanking(ReadOnlySpan<double> rankedGains, ReadOnlySpan<double> pool, int k, double noRelevant = 0.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var dcg = 0.0;
        for (var r = 0; r < rankedGains.Length && r < k; r++)
        {
            dcg += rankedGains[r] * Discount(r);
        }

        var scratch = ArrayPool<double>.Shared.Rent(pool.Length);
        try
        {
            var ideal = IdealDcg(pool, k, scratch);
            return ideal > 0 ? dcg / ideal : noRelevant;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// AP@K of the order by descending score (ties by index): Σ over relevant items in the top K of precision at their rank,
    /// divided by min(K, number of relevant items).
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, int k, double noRelevant = 0.0)
    {
        ClassificationMetrics.Check(scores, labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var relevant = Relevant(labels);
        if (relevant == 0)
        {
            return noRelevant;
        }

        var order = ArrayPool<int>.Shared.Rent(scores.Length);
        try
        {
            var top = Order(scores, order, k);
            double hits = 0, sum = 0;
            for (var r = 0; r < top; r++)
            {
                if (labels[order[r]] > 0.5)
                {
                    hits++;
                    sum += hits / (r + 1);
                }
            }

            return sum / Math.Min(k, relevant);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>Recall@K: relevant items in the top K by descending score (ties by index) ÷ all relevant items.</summary>
    public static double Recall(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, int k, double noRelevant = 0.0)
    {
        ClassificationMetrics.Check(scores, labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var relevant = Relevant(labels);
        if (relevant == 0)
        {
            return noRelevant;
        }

        var order = ArrayPool<int>.Shared.Rent(scores.Length);
        try
        {
            var top = Order(scores, order, k);
            var hits = 0;
            for (var r = 0; r < top; r++)
            {
                hits += labels[order[r]] > 0.5 ? 1 : 0;
            }

            return (double)hits / relevant;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>1 / log2(rank + 1) for a 0-based rank.</summary>
    public static double Discount(int rank) => 1.0 / Math.Log2(rank + 2);

    private static double IdealDcg(ReadOnlySpan<double> gains, int k, double[] scratch)
    {
        var sorted = scratch.AsSpan(0, gains.Length);
        gains.CopyTo(sorted);
        sorted.Sort();
        var ideal = 0.0;
        for (var r = 0; r < k && r < sorted.Length; r++)
        {
            ideal += sorted[^(r + 1)] * Discount(r);
        }

        return ideal;
    }

    private static int Relevant(ReadOnlySpan<double> labels)
    {
        var count = 0;
        foreach (var y in labels)
        {
            count += y > 0.5 ? 1 : 0;
        }

        return count;
    }

    /// <summary>Fills <paramref name="order"/> with indices by descending score (stable) and returns min(K, n).</summary>
    private static int Order(ReadOnlySpan<double> scores, int[] order, int k)
    {
        var n = scores.Length;
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        // Insertion sort keeps ties in index order; lists here are short (N candidates).
        for (var i = 1; i < n; i++)
        {
            var x = order[i];
            var j = i - 1;
            while (j >= 0 && scores[order[j]] < scores[x])
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = x;
        }

        return Math.Min(k, n);
    }
}
