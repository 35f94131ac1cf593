namespace Rerank.Simulation.Logs;

/// <summary>One row of a log read as the long format's types (null where the cell is empty or the column absent).</summary>
internal sealed class LoggedRow
{
    public required long Number { get; init; }

    public string? RequestId { get; init; }

    public long? Timestamp { get; init; }

    public string? UserId { get; init; }

    public string? ItemId { get; init; }

    public int? Position { get; init; }

    public bool? Click { get; init; }

    public bool? Conversion { get; init; }

    public float? Gmv { get; init; }

    public float? Price { get; init; }

    public double? Propensity { get; init; }

    public double? MarginalPropensity { get; init; }

    public double? SlatePropensity { get; init; }

    public string[]? History { get; init; }

    /// <summary>The declared logging policy's score of the row's item (<c>logging_policy.score</c>).</summary>
    public double? LoggingScore { get; init; }

    public required string?[] ItemCategorical { get; init; }

    public required float[] ItemDense { get; init; }

    public required float[] Priors { get; init; }

    public required float[] Embedding { get; init; }

    public required string?[] UserCategorical { get; init; }

    public required float?[] UserDense { get; init; }

    public required string?[] ContextCategorical { get; init; }

    public required float?[] ContextDense { get; init; }

    /// <summary>Whether some cell of the row was malformed (already reported; checks across the request skip such a request).</summary>
    public bool Faulty { get; init; }

    /// <summary>Whether the item was shown (it has a position).</summary>
    public bool Shown => Position is not null;
}
