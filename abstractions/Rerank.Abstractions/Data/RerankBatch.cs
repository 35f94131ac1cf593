namespace Rerank.Abstractions;

/// <summary>
/// B requests padded into flat, row-major arrays (tensors-as-arrays) so that models can read a whole
/// batch at once. Candidates and history are left-aligned; padding slots have mask 0 and zero features.
/// Shapes use N = <see cref="MaxCandidates"/>, H = <see cref="MaxHistory"/>.
/// </summary>
public sealed partial class RerankBatch
{
    private RerankBatch(FeatureSchema schema, IReadOnlyList<RerankRequest> requests)
    {
        Schema = schema;
        Requests = requests;
        Count = requests.Count;
        MaxCandidates = requests.Count == 0 ? 0 : requests.Max(r => r.Candidates.Count);
        MaxHistory = requests.Count == 0 ? 0 : requests.Max(r => r.History.Count);
        CandidateCounts = [.. requests.Select(r => r.Candidates.Count)];
        HistoryCounts = [.. requests.Select(r => r.History.Count)];
        SlateSizes = [.. requests.Select(r => r.SlateSize)];
        ItemCategoricalCount = schema.CategoricalCount(FeatureSide.Item);
        ItemDenseWidth = schema.DenseWidth(FeatureSide.Item);
        PriorCount = schema.PriorNames.Length;
        EmbeddingWidth = schema.EmbeddingWidth;
    }

    /// <summary>The schema the arrays follow.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>The requests, in batch order.</summary>
    public IReadOnlyList<RerankRequest> Requests { get; }

    /// <summary>B, the number of requests.</summary>
    public int Count { get; }

    /// <summary>N, the largest candidate count in the batch.</summary>
    public int MaxCandidates { get; }

    /// <summary>H, the longest history in the batch.</summary>
    public int MaxHistory { get; }

    /// <summary>Candidates per request, <c>[B]</c>.</summary>
    public int[] CandidateCounts { get; }

    /// <summary>History length per request, <c>[B]</c>.</summary>
    public int[] HistoryCounts { get; }

    /// <summary>Slate size L per request, <c>[B]</c>.</summary>
    public int[] SlateSizes { get; }

    /// <summary>Number of item-side categorical fields (Fc).</summary>
    public int ItemCategoricalCount { get; }

    /// <summary>Width of item-side dense features (Fd).</summary>
    public int ItemDenseWidth { get; }

    /// <summary>Number of priors (P).</summary>
    public int PriorCount { get; }

    /// <summary>Width of item embeddings (E).</summary>
    public int EmbeddingWidth { get; }

    /// <summary>Builds a batch; requests are expected to be valid (see <see cref="RequestValidator"/>).</summary>
    public static RerankBatch Create(FeatureSchema schema, IReadOnlyList<RerankRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(requests);
        return new RerankBatch(schema, requests);
    }

    /// <summary>Flat index of candidate <paramref name="i"/> of request <paramref name="b"/> in <c>[B, N]</c> arrays.</summary>
    public int CandidateOffset(int b, int i) => (b * MaxCandidates) + i;
}
