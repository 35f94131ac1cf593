namespace Rerank.Abstractions;

public sealed partial class RerankBatch
{
    private float[]? _candidateMask;
    private int[]? _candidateCategorical;
    private float[]? _candidateDense;
    private float[]? _priors;
    private float[]? _embeddings;
    private float[]? _prices;
    private float[]? _historyMask;
    private int[]? _historyCategorical;
    private float[]? _historyDense;
    private float[]? _historyEmbeddings;
    private int[]? _userCategorical;
    private float[]? _userDense;
    private int[]? _contextCategorical;
    private float[]? _contextDense;

    /// <summary>1 for a real candidate, 0 for padding, <c>[B, N]</c>.</summary>
    public float[] CandidateMask => _candidateMask ??= Mask(CandidateCounts, MaxCandidates);

    /// <summary>Item categorical ids of candidates, <c>[B, N, Fc]</c>.</summary>
    public int[] CandidateCategorical => _candidateCategorical ??= PackItems(r => r.Candidates, MaxCandidates, ItemCategoricalCount, static i => i.Categorical);

    /// <summary>Item dense features of candidates, <c>[B, N, Fd]</c>.</summary>
    public float[] CandidateDense => _candidateDense ??= PackItems(r => r.Candidates, MaxCandidates, ItemDenseWidth, static i => i.Dense);

    /// <summary>Prior scores of candidates, <c>[B, N, P]</c>.</summary>
    public float[] Priors => _priors ??= PackItems(r => r.Candidates, MaxCandidates, PriorCount, static i => i.Priors);

    /// <summary>Embeddings of candidates, <c>[B, N, E]</c>.</summary>
    public float[] Embeddings => _embeddings ??= PackItems(r => r.Candidates, MaxCandidates, EmbeddingWidth, static i => i.Embedding);

    /// <summary>Prices of candidates, <c>[B, N]</c>.</summary>
    public float[] Prices => _prices ??= PackItems<float>(r => r.Candidates, MaxCandidates, 1, static i => [i.Price]);

    /// <summary>1 for a real history item, 0 for padding, <c>[B, H]</c>.</summary>
    public float[] HistoryMask => _historyMask ??= Mask(HistoryCounts, MaxHistory);

    /// <summary>Item categorical ids of history items, <c>[B, H, Fc]</c>.</summary>
    public int[] HistoryCategorical => _historyCategorical ??= PackItems(r => r.History, MaxHistory, ItemCategoricalCount, static i => i.Categorical);

    /// <summary>Item dense features of history items, <c>[B, H, Fd]</c>.</summary>
    public float[] HistoryDense => _historyDense ??= PackItems(r => r.History, MaxHistory, ItemDenseWidth, static i => i.Dense);

    /// <summary>Embeddings of history items, <c>[B, H, E]</c>.</summary>
    public float[] HistoryEmbeddings => _historyEmbeddings ??= PackItems(r => r.History, MaxHistory, EmbeddingWidth, static i => i.Embedding);

    /// <summary>User categorical ids, <c>[B, Fu]</c>.</summary>
    public int[] UserCategorical => _userCategorical ??= PackRequests(Schema.CategoricalCount(FeatureSide.User), static r => r.UserCategorical);

    /// <summary>User dense features, <c>[B, Fud]</c>.</summary>
    public float[] UserDense => _userDense ??= PackRequests(Schema.DenseWidth(FeatureSide.User), static r => r.UserDense);

    /// <summary>Context categorical ids, <c>[B, Fx]</c>.</summary>
    public int[] ContextCategorical => _contextCategorical ??= PackRequests(Schema.CategoricalCount(FeatureSide.Context), static r => r.ContextCategorical);

    /// <summary>Context dense features, <c>[B, Fxd]</c>.</summary>
    public float[] ContextDense => _contextDense ??= PackRequests(Schema.DenseWidth(FeatureSide.Context), static r => r.ContextDense);

    private float[] Mask(int[] counts, int width)
    {
        var mask = new float[Count * width];
        for (var b = 0; b < Count; b++)
        {
            mask.AsSpan(b * width, counts[b]).Fill(1f);
        }

        return mask;
    }

    private T[] PackItems<T>(Func<RerankRequest, IReadOnlyList<Item>> items, int slots, int width, Func<Item, T[]> values)
    {
        var packed = new T[Count * slots * width];
        if (width == 0)
        {
            return packed;
        }

        for (var b = 0; b < Count; b++)
        {
            var list = items(Requests[b]);
            for (var i = 0; i < list.Count; i++)
            {
                var source = values(list[i]);
                source.AsSpan(0, Math.Min(width, source.Length)).CopyTo(packed.AsSpan(((b * slots) + i) * width, width));
            }
        }

        return packed;
    }

    private T[] PackRequests<T>(int width, Func<RerankRequest, T[]> values)
    {
        var packed = new T[Count * width];
        for (var b = 0; b < Count && width > 0; b++)
        {
            var source = values(Requests[b]);
            source.AsSpan(0, Math.Min(width, source.Length)).CopyTo(packed.AsSpan(b * width, width));
        }

        return packed;
    }
}
