using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// The ranking stage's order: one slate per request with the candidates sorted by a prior (descending, ties by
/// candidate index). Item scores are the prior values; the slate score is their sum.
/// </summary>
internal sealed class InitialGenerator : IGenerator
{
    private readonly InitialOptions _options;

    public InitialGenerator(InitialOptions options, string name)
    {
        _options = options;
        Name = name;
    }

    public string Name { get; }

    public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var prior = PriorColumn.Resolve(batch.Schema, _options.Prior, Name);
        var slates = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            slates[b] = [Rank(batch, prior, b)];
        }

        return slates;
    }

    private Slate Rank(RerankBatch batch, int prior, int b)
    {
        var n = batch.CandidateCounts[b];
        var values = new float[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = PriorColumn.Value(batch, prior, b, i);
            order[i] = i;
        }

        // Descending by prior, ascending by index on ties: a total order, so the sort is stable by construction.
        Array.Sort(order, (x, y) => values[x] != values[y] ? values[y].CompareTo(values[x]) : x.CompareTo(y));
        var length = _options.Length == InitialLength.Full ? n : Math.Min(batch.SlateSizes[b], n);
        var indices = order[..length];
        var scores = new float[length];
        var total = 0d;
        for (var k = 0; k < length; k++)
        {
            scores[k] = values[indices[k]];
            total += scores[k];
        }

        return new Slate(indices, total, scores);
    }
}
