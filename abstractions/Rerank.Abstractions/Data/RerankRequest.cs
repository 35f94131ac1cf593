namespace Rerank.Abstractions;

/// <summary>One reranking request: a user, a context, the user's history and N candidates to arrange into a slate of L.</summary>
public sealed class RerankRequest
{
    /// <summary>Request identifier (echoed in responses and logs).</summary>
    public required string RequestId { get; init; }

    /// <summary>User identifier (used for sticky traffic splits); the features live in <see cref="UserCategorical"/> and <see cref="UserDense"/>.</summary>
    public string UserId { get; init; } = "";

    /// <summary>User-side categorical ids in schema order.</summary>
    public int[] UserCategorical { get; init; } = [];

    /// <summary>User-side dense features in schema order.</summary>
    public float[] UserDense { get; init; } = [];

    /// <summary>Context-side categorical ids in schema order.</summary>
    public int[] ContextCategorical { get; init; } = [];

    /// <summary>Context-side dense features in schema order.</summary>
    public float[] ContextDense { get; init; } = [];

    /// <summary>Items the user interacted with, oldest first (newest last).</summary>
    public IReadOnlyList<Item> History { get; init; } = [];

    /// <summary>The N candidates, in the order the ranking stage delivered them.</summary>
    public required IReadOnlyList<Item> Candidates { get; init; }

    /// <summary>Slate size L (1 ≤ L ≤ N).</summary>
    public required int SlateSize { get; init; }

    /// <summary>
    /// The exact expected utility of any list, when the data comes from a simulator; <see langword="null"/> on real data.
    /// Models must never read it; the oracle evaluator and the metrics do.
    /// </summary>
    public IListUtility? GroundTruth { get; init; }
}
