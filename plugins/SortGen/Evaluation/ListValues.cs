using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>List values from SORT's expected counts: eq. 2 accumulates each item's incremental value, eq. 1 weighs the objectives.</summary>
internal static class ListValues
{
    /// <summary>
    /// The incremental value of each real position of row <paramref name="r"/> (eq. 2, weighted by eq. 1), written to
    /// <paramref name="increments"/>; returns their sum V(R', C).
    /// </summary>
    public static double Row(
        SortModel model, ObjectiveWeights weights, RerankBatch batch, SequenceRows rows, float[] click, float[] pay, int r, Span<float> increments)
    {
        var t = rows.Length;
        var b = rows.Request[r];
        var total = 0d;
        float previousClick = 0, previousPay = 0;
        for (var j = 0; j < t; j++)
        {
            var i = rows.Items[(r * t) + j];
            if (i < 0)
            {
                break;
            }

            var at = (r * t) + j;
            var increment = weights.Increment(click[at] - previousClick, pay[at] - previousPay, model.Price(batch, b, i, weights.NormalizeGmv));
            if (j < increments.Length)
            {
                increments[j] = (float)increment;
            }

            total += increment;
            previousClick = click[at];
            previousPay = pay[at];
        }

        return total;
    }
}
