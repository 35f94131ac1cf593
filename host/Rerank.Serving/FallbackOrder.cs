using Rerank.Abstractions;

namespace Rerank.Serving;

/// <summary>
/// What is served when a pipeline fails or misses the deadline: the initial order, i.e. candidates sorted by the <c>ctr</c>
/// prior (descending, ties by position), or the order given when the schema has no <c>ctr</c> prior, cut to L.
/// </summary>
internal static class FallbackOrder
{
    /// <summary>The prior the fallback sorts by.</summary>
    public const string Prior = "ctr";

    public static Slate For(RerankRequest request, FeatureSchema schema)
    {
        var n = request.Candidates.Count;
        var size = Math.Clamp(request.SlateSize, 0, n);
        var prior = schema.PriorIndex(Prior);
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        if (prior < 0)
        {
            return new Slate(order[..size], 0);
        }

        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            var priors = request.Candidates[i].Priors;
            values[i] = prior < priors.Length ? priors[prior] : float.NegativeInfinity;
        }

        Array.Sort(order, (x, y) => values[x] != values[y] ? values[y].CompareTo(values[x]) : x.CompareTo(y));
        var indices = order[..size];
        var scores = new float[size];
        var total = 0d;
        for (var k = 0; k < size; k++)
        {
            scores[k] = values[indices[k]];
            total += scores[k];
        }

        return new Slate(indices, total, scores);
    }
}
