using Rerank.Engine;

namespace Rerank.Plugins.Common;

/// <summary>Early stopping: keeps a copy of the weights of the epoch with the lowest validation loss and restores it after training.</summary>
public sealed class BestWeights(IReadOnlyList<Tensor> parameters)
{
    private float[][]? best;
    private double bestLoss = double.PositiveInfinity;

    /// <summary>The epoch whose weights are kept (0 while none).</summary>
    public int Epoch { get; private set; }

    /// <summary>Records the weights when <paramref name="validation"/> is the lowest so far.</summary>
    public void Offer(int epoch, double? validation)
    {
        if (validation is not { } loss || !(loss < bestLoss))
        {
            return;
        }

        bestLoss = loss;
        Epoch = epoch;
        best = [.. parameters.Select(p => p.ToArray())];
    }

    /// <summary>Copies the kept weights back (nothing without validation data).</summary>
    public void Restore()
    {
        if (best is null)
        {
            return;
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            parameters[i].CopyFrom(best[i]);
        }
    }
}
