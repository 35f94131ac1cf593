namespace Rerank.Serving.Json;

/// <summary>The answer to one rerank request.</summary>
internal sealed class RerankResponseJson
{
    public required string RequestId { get; init; }

    /// <summary>The pipeline that served the request.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The traffic split the request came through, or null.</summary>
    public string? Split { get; init; }

    /// <summary>The split's arm, or null.</summary>
    public string? Arm { get; init; }

    /// <summary>The serving graph's generation (increments on every successful reload).</summary>
    public long Graph { get; init; }

    /// <summary>The plugins (<c>id@version</c>) the pipeline uses.</summary>
    public required IReadOnlyList<string> Plugins { get; init; }

    public required IReadOnlyList<RankedItemJson> Items { get; init; }

    /// <summary>The slate score of the producing stage.</summary>
    public double Score { get; init; }

    public bool Fallback { get; init; }

    public string? FallbackReason { get; init; }

    public int BatchSize { get; init; }

    public required TimingsJson Timings { get; init; }
}

/// <summary>One served item, in slate order.</summary>
internal sealed class RankedItemJson
{
    public required string Id { get; init; }

    /// <summary>The item's score from the final stage, when it gives per-item scores.</summary>
    public float? Score { get; init; }
}

/// <summary>Where the time went, in milliseconds.</summary>
internal sealed class TimingsJson
{
    public double QueueMs { get; init; }

    public double RunMs { get; init; }

    public double TotalMs { get; init; }

    public IReadOnlyList<StageTimeJson> Stages { get; init; } = [];
}

/// <summary>Wall time of one stage for the batch the request ran in.</summary>
internal sealed class StageTimeJson
{
    public required string Stage { get; init; }

    public double Ms { get; init; }
}

/// <summary>The answer to <c>:rerank-batch</c>, responses in request order.</summary>
internal sealed class RerankBatchResponseJson
{
    public required IReadOnlyList<RerankResponseJson> Responses { get; init; }
}

/// <summary>An error body: one line naming the offending field, and every problem found.</summary>
internal sealed class ErrorJson
{
    public required string Error { get; init; }

    public IReadOnlyList<string>? Details { get; init; }
}
