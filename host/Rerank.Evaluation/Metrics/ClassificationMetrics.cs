using System.Buffers;

namespace Rerank.Evaluation.Metrics;

/// <summary>Point-wise classification metrics over scores and binary labels (label &gt; 0.5 is positive).</summary>
internal static class ClassificationMetrics
{
    /// <summary>Default probability clip of <see cref="LogLoss"/>.</summary>
    public const double DefaultEpsilon = 1e-7;

    /// <summary>
    /// ROC AUC as the Mann–Whitney statistic with mid-ranks for tied scores (what scikit-learn's roc_auc_score returns);
    /// <see cref="double.NaN"/> when only one class is present.
    /// </summary>
    public static double Auc(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels)
    {
        Check(scores, labels);
        var n = scores.Length;
        var keys = ArrayPool<double>.Shared.Rent(n);
        var positive = ArrayPool<bool>.Shared.Rent(n);
        try
        {
            scores.CopyTo(keys);
            for (var i = 0; i < n; i++)
            {
                positive[i] = labels[i] > 0.5;
            }

            Array.Sort(keys, positive, 0, n);
            double positives = 0, rankSum = 0;
            for (var i = 0; i < n;)
            {
                var j = i;
                var groupPositives = 0;
                while (j < n && keys[j] == keys[i])
                {
                    groupPositives += positive[j] ? 1 : 0;
                    j++;
                }

                // Ranks i+1 … j share their mean (i + 1 + j) / 2.
                rankSum += groupPositives * ((i + 1 + j) / 2.0);
                positives += groupPositives;
                i = j;
            }

            var negatives = n - positives;
            return positives == 0 || negatives == 0
                ? double.NaN
                : (rankSum - (positives * (positives + 1) / 2.0)) / (positives * negatives);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(keys);
            ArrayPool<bool>.Shared.Return(positive);
        }
    }

    /// <summary>
    /// Group AUC: the AUC of each group (consecutive runs of <paramref name="groupSizes"/>, e.g. one request each)
    /// weighted by its size (impressions); groups with a single class are skipped; NaN when every group is skipped.
    /// </summary>
    public static double GroupAuc(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, ReadOnlySpan<int> groupSizes)
    {
        Check(scores, labels);
        double weighted = 0, weight = 0;
        var start = 0;
        foreach (var size in groupSizes)
        {
            if (size < 0 || start + size > scores.Length)
            {
                throw new ArgumentException($"Group sizes run past the {scores.Length} scores (at a group of {size} starting at {start}).", nameof(groupSizes));
            }

            var auc = Auc(scores.Slice(start, size), labels.Slice(start, size));
            if (!double.IsNaN(auc))
            {
                weighted += size * auc;
                weight += size;
            }

            start += size;
        }

        if (start != scores.Length)
        {
            throw new ArgumentException($"Group sizes cover {start} of {scores.Length} scores.", nameof(groupSizes));
        }

        return weight == 0 ? double.NaN : weighted / weight;
    }

    /// <summary>Mean binary cross-entropy with probabilities clipped to [ε, 1 − ε].</summary>
    public static double LogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, double epsilon = DefaultEpsilon)
    {
        Check(probabilities, labels);
        if (probabilities.Length == 0)
        {
            return double.NaN;
        }

        var total = 0.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], epsilon, 1 - epsilon);
            var y = labels[i];
            total -= (y * Math.Log(p)) + ((1 - y) * Math.Log(1 - p));
        }

        return total / probabilities.Length;
    }

    internal static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"There are {scores.Length} scores but {labels.Length} labels.", nameof(labels));
        }

        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]) || !double.IsFinite(labels[i]))
            {
                throw new ArgumentException($"Score or label {i} is not finite ({scores[i]}, {labels[i]}).", nameof(scores));
            }
        }
    }
}
