using System.Buffers;

namespace Rerank.Evaluation.Metrics;

/// <summary>Quality of an evaluator's list values against the true values (DeGRe §5.1.3).</summary>
internal static class EvaluatorMetrics
{
    /// <summary>
    /// R-AUC (DeGRe eq. 15): over all pairs with y_i &gt; y_j, the share where ŷ_i &gt; ŷ_j (ties in ŷ count as
    /// disagreement, as the strict indicator says); NaN when all true values are equal. O(n log n).
    /// </summary>
    public static double RegressionAuc(ReadOnlySpan<double> predicted, ReadOnlySpan<double> actual)
    {
        ClassificationMetrics.Check(predicted, actual);
        var n = predicted.Length;
        var order = ArrayPool<int>.Shared.Rent(n);
        var keys = ArrayPool<double>.Shared.Rent(n);
        var predictedRank = ArrayPool<int>.Shared.Rent(n);
        var tree = ArrayPool<long>.Shared.Rent(n + 1);
        try
        {
            // Dense ranks of the predictions (1-based) for a Fenwick tree.
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
                keys[i] = predicted[i];
            }

            Array.Sort(keys, order, 0, n);
            var rank = 0;
            for (var i = 0; i < n; i++)
            {
                if (i == 0 || keys[i] != keys[i - 1])
                {
                    rank++;
                }

                predictedRank[order[i]] = rank;
            }

            // Walk by increasing truth; each group of equal truth is compared with every strictly smaller one.
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
                keys[i] = actual[i];
            }

            Array.Sort(keys, order, 0, n);
            Array.Clear(tree, 0, n + 1);
            long concordant = 0, pairs = 0;
            for (var i = 0; i < n;)
            {
                var j = i;
                while (j < n && keys[j] == keys[i])
                {
                    concordant += Prefix(tree, predictedRank[order[j]] - 1);
                    pairs += i;
                    j++;
                }

                for (var m = i; m < j; m++)
                {
                    for (var x = predictedRank[order[m]]; x <= n; x += x & -x)
                    {
                        tree[x]++;
                    }
                }

                i = j;
            }

            return pairs == 0 ? double.NaN : (double)concordant / pairs;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<double>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(predictedRank);
            ArrayPool<long>.Shared.Return(tree);
        }
    }

    /// <summary>PCOC: mean prediction ÷ mean truth (1 is calibrated).</summary>
    public static double Pcoc(ReadOnlySpan<double> predicted, ReadOnlySpan<double> actual)
    {
        ClassificationMetrics.Check(predicted, actual);
        double p = 0, a = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            p += predicted[i];
            a += actual[i];
        }

        return a == 0 ? double.NaN : p / a;
    }

    /// <summary>Root mean squared error.</summary>
    public static double Rmse(ReadOnlySpan<double> predicted, ReadOnlySpan<double> actual)
    {
        ClassificationMetrics.Check(predicted, actual);
        if (predicted.Length == 0)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var i = 0; i < predicted.Length; i++)
        {
            var d = predicted[i] - actual[i];
            sum += d * d;
        }

        return Math.Sqrt(sum / predicted.Length);
    }

    private static long Prefix(long[] tree, int index)
    {
        long sum = 0;
        for (var x = index; x > 0; x -= x & -x)
        {
            sum += tree[x];
        }

        return sum;
    }
}
