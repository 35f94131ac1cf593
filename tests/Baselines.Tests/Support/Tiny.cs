using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Baselines.Tests;

/// <summary>Hand-made requests for behaviour tests.</summary>
internal static class Tiny
{
    public static RerankContext Context { get; } = new(5);

    /// <summary>One request with the given ctr priors (cvr 0.1), embeddings and slate size, optionally with a ground truth.</summary>
    public static RerankBatch Batch(float[] ctr, float[][]? embeddings = null, int slateSize = 2, IListUtility? truth = null, string id = "tiny-1")
    {
        var width = embeddings?[0].Length ?? 2;
        var schema = new FeatureSchema([], ["ctr", "cvr"], width);
        var candidates = ctr.Select((p, i) => new Item
        {
            Id = $"c{i}",
            Priors = [p, 0.1f],
            Embedding = embeddings?[i] ?? [1, 0],
        }).ToList();
        var request = new RerankRequest { RequestId = id, Candidates = candidates, SlateSize = slateSize, GroundTruth = truth };
        return RerankBatch.Create(schema, [request]);
    }

    /// <summary>Synthetic requests (several, with padding) from the conformance data.</summary>
    public static RerankBatch Synthetic(int count = 6, ulong seed = 3)
    {
        var data = new SyntheticData();
        return RerankBatch.Create(data.Schema, data.Requests(count, seed));
    }

    public static TComponent Build<TComponent>(string name, string paramsYaml = "")
        where TComponent : class, IComponent =>
        ComponentBuilder.Build<TComponent>(new BaselinesPlugin(), name, paramsYaml, null, 1);

    public static int[][] Indices(IReadOnlyList<Slate>[] slates) => [.. slates.Select(s => s[0].Indices)];
}

/// <summary>A ground truth given by a function of the list.</summary>
internal sealed class FunctionUtility(Func<int[], double> utility) : IListUtility
{
    public double Utility(ReadOnlySpan<int> slate) => utility(slate.ToArray());

    public ListOutcome Outcome(ReadOnlySpan<int> slate) => new(new double[slate.Length], new double[slate.Length], new double[slate.Length], Utility(slate));
}
