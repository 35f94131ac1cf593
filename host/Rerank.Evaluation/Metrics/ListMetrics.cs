using Rerank.Abstractions;

namespace Rerank.Evaluation.Metrics;

/// <summary>Quality of one shown list: expected utility, oracle ratio, intra-list diversity, category coverage.</summary>
internal static class ListMetrics
{
    /// <summary>The true expected utility of <paramref name="slate"/> (simulator data only).</summary>
    public static double ExpectedUtility(RerankRequest request, ReadOnlySpan<int> slate)
    {
        ArgumentNullException.ThrowIfNull(request);
        var truth = request.GroundTruth
            ?? throw new InvalidOperationException($"Request '{request.RequestId}' has no ground truth; expected utility needs simulator data.");
        return truth.Utility(slate);
    }

    /// <summary>The true expected utility of each request's slate, in request order (simulator data only).</summary>
    public static double[] ExpectedUtilities(IReadOnlyList<RerankRequest> requests, IReadOnlyList<Slate> slates)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(slates);
        var utilities = new double[requests.Count];
        for (var r = 0; r < requests.Count; r++)
        {
            utilities[r] = ExpectedUtility(requests[r], slates[r].Indices);
        }

        return utilities;
    }

    /// <summary>Utility ÷ exhaustive optimum (1 is optimal); NaN when the optimum is not positive.</summary>
    public static double OracleRatio(double utility, double optimum) => optimum > 0 ? utility / optimum : double.NaN;

    /// <summary>ILD: mean over pairs of the slate of 1 − cos(embedding_i, embedding_j); 0 for fewer than two items.</summary>
    public static double IntraListDiversity(IReadOnlyList<Item> candidates, ReadOnlySpan<int> slate)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (slate.Length < 2)
        {
            return 0.0;
        }

        var sum = 0.0;
        for (var a = 0; a < slate.Length; a++)
        {
            var ea = Embedding(candidates, slate[a]);
            for (var b = a + 1; b < slate.Length; b++)
            {
                sum += 1.0 - Cosine(ea, Embedding(candidates, slate[b]));
            }
        }

        return sum / (slate.Length * (slate.Length - 1) / 2.0);
    }

    /// <summary>
    /// Category coverage: distinct categories in the slate ÷ the most it could hold, min(L, distinct categories
    /// among the candidates); 1 when the slate is as varied as the candidates allow.
    /// </summary>
    /// <param name="candidates">The request's candidates.</param>
    /// <param name="slate">Candidate indices shown.</param>
    /// <param name="categoryIndex">Index of the category in <see cref="Item.Categorical"/> (see <see cref="CategoryIndex"/>).</param>
    public static double CategoryCoverage(IReadOnlyList<Item> candidates, ReadOnlySpan<int> slate, int categoryIndex)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (slate.Length == 0)
        {
            return 0.0;
        }

        var shown = new HashSet<int>();
        foreach (var i in slate)
        {
            shown.Add(candidates[i].Categorical[categoryIndex]);
        }

        var available = new HashSet<int>();
        foreach (var c in candidates)
        {
            available.Add(c.Categorical[categoryIndex]);
        }

        return (double)shown.Count / Math.Min(slate.Length, available.Count);
    }

    /// <summary>Index of the item-side categorical field named <paramref name="name"/> (default <c>category</c>), or -1.</summary>
    public static int CategoryIndex(FeatureSchema schema, string name = "category")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var fields = schema.Select(FeatureSide.Item, FeatureKind.Categorical);
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static float[] Embedding(IReadOnlyList<Item> candidates, int index)
    {
        var e = candidates[index].Embedding;
        return e.Length > 0 ? e : throw new ArgumentException($"Candidate '{candidates[index].Id}' has no embedding; ILD needs one per item.", nameof(candidates));
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var k = 0; k < a.Length; k++)
        {
            dot += a[k] * (double)b[k];
            na += a[k] * (double)a[k];
            nb += b[k] * (double)b[k];
        }

        return na > 0 && nb > 0 ? dot / Math.Sqrt(na * nb) : 0.0;
    }
}
