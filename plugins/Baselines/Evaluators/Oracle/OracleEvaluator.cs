using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>The exact expected utility U(slate) of every slate, from the simulator's ground truth; refuses data without it.</summary>
internal sealed class OracleEvaluator : IEvaluator
{
    public OracleEvaluator(string name) => Name = name;

    public string Name { get; }

    public double[][] Evaluate(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        ArgumentNullException.ThrowIfNull(context);
        if (slates.Count != batch.Count)
        {
            throw new ArgumentException($"{Name}: got slates for {slates.Count} requests; the batch has {batch.Count}", nameof(slates));
        }

        var truths = GroundTruthOf.All(batch, Name);
        var values = new double[batch.Count][];
        for (var b = 0; b < batch.Count; b++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            values[b] = [.. slates[b].Select(s => truths[b].Utility(s.Indices))];
        }

        return values;
    }
}
