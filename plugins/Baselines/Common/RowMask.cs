using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Which candidate slots a step row may still fill: real candidates of its request that are not in its prefix.</summary>
internal static class RowMask
{
    /// <summary>Marks in <paramref name="free"/> (length ≥ N) the slots row <paramref name="row"/> may fill; returns its request's candidate count.</summary>
    public static int Fill(RerankBatch batch, StepRows rows, int row, Span<bool> free)
    {
        var n = batch.CandidateCounts[rows.Request[row]];
        free.Clear();
        free[..n].Fill(true);
        foreach (var used in rows.Prefix(row))
        {
            free[used] = false;
        }

        return n;
    }
}
