namespace Rerank.Serving.Json;

/// <summary>The JSON body of <c>:rerank</c> (snake_case); arrays follow the schema's field order.</summary>
internal sealed class RerankRequestJson
{
    public string? RequestId { get; set; }

    public string? UserId { get; set; }

    public int[]? UserCategorical { get; set; }

    public float[]? UserDense { get; set; }

    public int[]? ContextCategorical { get; set; }

    public float[]? ContextDense { get; set; }

    public List<ItemJson>? History { get; set; }

    public List<ItemJson>? Candidates { get; set; }

    public int? SlateSize { get; set; }
}

/// <summary>A candidate or history item.</summary>
internal sealed class ItemJson
{
    public string? Id { get; set; }

    public int[]? Categorical { get; set; }

    public float[]? Dense { get; set; }

    public float[]? Priors { get; set; }

    public float[]? Embedding { get; set; }

    public float? Price { get; set; }
}

/// <summary>The JSON body of <c>:rerank-batch</c>.</summary>
internal sealed class RerankBatchRequestJson
{
    public List<RerankRequestJson>? Requests { get; set; }
}
