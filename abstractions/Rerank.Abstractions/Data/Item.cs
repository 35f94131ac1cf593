namespace Rerank.Abstractions;

/// <summary>
/// An item: a candidate of a request or an entry of the user's history. Arrays follow the order of
/// the <see cref="FeatureSchema"/>'s item fields; treat them as read-only.
/// </summary>
public sealed class Item
{
    /// <summary>Stable identifier, unique among the candidates of one request.</summary>
    public required string Id { get; init; }

    /// <summary>Item-side categorical ids (e.g. item id, category), in schema order.</summary>
    public int[] Categorical { get; init; } = [];

    /// <summary>Item-side dense features (e.g. log price), concatenated in schema order.</summary>
    public float[] Dense { get; init; } = [];

    /// <summary>Ranking-stage prior scores (e.g. CTR, CVR) in the order of <see cref="FeatureSchema.PriorNames"/>; empty for history items.</summary>
    public float[] Priors { get; init; } = [];

    /// <summary>Optional content embedding used for similarity (MMR, DPP, ILD); empty when absent.</summary>
    public float[] Embedding { get; init; } = [];

    /// <summary>Price (0 when unknown).</summary>
    public float Price { get; init; }
}
