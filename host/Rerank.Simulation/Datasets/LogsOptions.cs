using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Simulation.Datasets;

/// <summary>The file format of an impression log.</summary>
public enum LogFormat
{
    /// <summary>From the file's extension: <c>.parquet</c>, <c>.jsonl</c> (or <c>.jsonl.gz</c>, <c>.ndjson</c>), <c>.csv</c> (or <c>.csv.gz</c>).</summary>
    Auto,

    /// <summary>Apache Parquet, read row group by row group.</summary>
    Parquet,

    /// <summary>JSON Lines (one object per line), optionally gzipped.</summary>
    Jsonl,

    /// <summary>RFC 4180 comma-separated values with a header row, optionally gzipped.</summary>
    Csv,
}

/// <summary>How an impression log is split into training, validation and test requests.</summary>
public enum LogSplitBy
{
    /// <summary>By the <c>timestamp</c> column: the latest requests are the test split, the ones before them validation.</summary>
    Time,

    /// <summary>By a hash of the request id under the experiment's seed.</summary>
    Request,
}

/// <summary>
/// <c>dataset: {type: logs, path: FILE, params: {…}}</c>: a team's own impression log in the long format (one row per
/// candidate of a request); see <c>docs/logs.md</c>.
/// </summary>
public sealed class LogsOptions : IValidatableOptions
{
    /// <summary>The file format (YAML <c>format</c>); <c>auto</c> reads it from the extension.</summary>
    public LogFormat Format { get; set; } = LogFormat.Auto;

    /// <summary>The file's names of the log's columns (YAML <c>columns</c>); an unset name is the column's own (<c>request_id</c>, …).</summary>
    public LogColumnNames Columns { get; set; } = new();

    /// <summary>The feature columns (YAML <c>features</c>).</summary>
    public LogFeatureColumns Features { get; set; } = new();

    /// <summary>How requests are split (YAML <c>split</c>).</summary>
    public LogSplitOptions Split { get; set; } = new();

    /// <summary>
    /// The policy that chose the logged slates, when it is known in closed form (YAML <c>logging_policy</c>); unset, only
    /// the recorded propensity columns are known. Declared, every estimator applies (IIPS and PI included).
    /// </summary>
    public LogLoggingPolicyOptions? LoggingPolicy { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Split.Validation + Split.Test >= 1.0)
        {
            yield return $"split.validation + split.test must be below 1 (some requests must train), got {Split.Validation} + {Split.Test}";
        }

        var named = Features.All().Select(f => f.Column).Concat(Columns.All().Where(c => c.Column is not null).Select(c => c.Column!));
        foreach (var twice in named.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"column '{twice.Key}' is named twice in columns/features; each column has one role";
        }

        if (LoggingPolicy is { } policy)
        {
            foreach (var problem in policy.Validate(Features))
            {
                yield return problem;
            }

            if (policy.Score is { } score && named.Contains(score, StringComparer.Ordinal))
            {
                yield return $"logging_policy.score: column '{score}' already has a role in columns/features; the logging score is a column of its own";
            }
        }

        foreach (var reserved in Features.All().Where(f => f.Column is LogColumnNames.ItemIdFeature or LogColumnNames.UserIdFeature))
        {
            yield return $"features.{reserved.Group}: '{reserved.Column}' is the name of the id feature the log always has; rename the column with columns.{reserved.Column}";
        }
    }
}

/// <summary>
/// The file's name of each column of the long format (YAML <c>columns: {request_id: req, …}</c>); unset names are the
/// columns' own. Required: <c>request_id</c>, <c>item_id</c>, <c>position</c>, <c>click</c>; the rest are read when present.
/// </summary>
public sealed class LogColumnNames
{
    /// <summary>The schema name of the item id feature.</summary>
    public const string ItemIdFeature = "item_id";

    /// <summary>The schema name of the user id feature.</summary>
    public const string UserIdFeature = "user_id";

    /// <summary>Request id (required; rows of one request are contiguous).</summary>
    public string? RequestId { get; set; }

    /// <summary>When the request was served (64-bit integer, constant within a request; needed by <c>split.by: time</c>).</summary>
    public string? Timestamp { get; set; }

    /// <summary>User id (constant within a request).</summary>
    public string? UserId { get; set; }

    /// <summary>Item id (required; unique within a request).</summary>
    public string? ItemId { get; set; }

    /// <summary>1-based position in the shown slate; empty for a candidate that was not shown (required).</summary>
    public string? Position { get; set; }

    /// <summary>0 or 1 (required on shown rows).</summary>
    public string? Click { get; set; }

    /// <summary>0 or 1 on shown rows.</summary>
    public string? Conversion { get; set; }

    /// <summary>GMV of a shown row.</summary>
    public string? Gmv { get; set; }

    /// <summary>The item's price.</summary>
    public string? Price { get; set; }

    /// <summary>The logging policy's probability of the row's item at its position given the items at earlier positions.</summary>
    public string? Propensity { get; set; }

    /// <summary>The logging policy's probability of the row's item at its position.</summary>
    public string? MarginalPropensity { get; set; }

    /// <summary>The logging policy's probability of the whole shown slate (constant within a request).</summary>
    public string? SlatePropensity { get; set; }

    /// <summary>The user's history: item ids, oldest first (JSON array, or a '|'-separated string).</summary>
    public string? History { get; set; }

    /// <summary>Every column role with its YAML key and the name given (null when unset).</summary>
    internal IEnumerable<(string Key, string? Column)> All() =>
    [
        ("request_id", RequestId), ("timestamp", Timestamp), ("user_id", UserId), ("item_id", ItemId), ("position", Position),
        ("click", Click), ("conversion", Conversion), ("gmv", Gmv), ("price", Price), ("propensity", Propensity),
        ("marginal_propensity", MarginalPropensity), ("slate_propensity", SlatePropensity), ("history", History),
    ];
}

/// <summary>The feature columns of the log (YAML <c>features: {item_categorical: [category], …}</c>), each by the file's name.</summary>
public sealed class LogFeatureColumns
{
    /// <summary>Item-side categorical columns (strings or integers, mapped to ids 0 … V−1 in order of first appearance).</summary>
    public string[] ItemCategorical { get; set; } = [];

    /// <summary>Item-side dense columns (floats, one value each).</summary>
    public string[] ItemDense { get; set; } = [];

    /// <summary>Ranking-stage prior scores of the candidates (floats in [0, 1]).</summary>
    public string[] Priors { get; set; } = [];

    /// <summary>User-side categorical columns (constant within a request).</summary>
    public string[] UserCategorical { get; set; } = [];

    /// <summary>User-side dense columns (constant within a request).</summary>
    public string[] UserDense { get; set; } = [];

    /// <summary>Context-side categorical columns (constant within a request).</summary>
    public string[] ContextCategorical { get; set; } = [];

    /// <summary>Context-side dense columns (constant within a request).</summary>
    public string[] ContextDense { get; set; } = [];

    /// <summary>Float columns that together form the item's content embedding, in order.</summary>
    public string[] Embedding { get; set; } = [];

    /// <summary>Every feature column with its YAML group.</summary>
    internal IEnumerable<(string Group, string Column)> All() =>
        ItemCategorical.Select(c => ("item_categorical", c))
            .Concat(ItemDense.Select(c => ("item_dense", c)))
            .Concat(Priors.Select(c => ("priors", c)))
            .Concat(UserCategorical.Select(c => ("user_categorical", c)))
            .Concat(UserDense.Select(c => ("user_dense", c)))
            .Concat(ContextCategorical.Select(c => ("context_categorical", c)))
            .Concat(ContextDense.Select(c => ("context_dense", c)))
            .Concat(Embedding.Select(c => ("embedding", c)));
}

/// <summary>How requests are split (YAML <c>split: {by: time, validation: 0.1, test: 0.1}</c>).</summary>
public sealed class LogSplitOptions
{
    /// <summary><c>time</c> (the latest requests are tested; needs <c>timestamp</c>) or <c>request</c> (a hash of the request id under the seed).</summary>
    public LogSplitBy By { get; set; } = LogSplitBy.Time;

    /// <summary>Share of requests for validation. Range: [0, 1).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Validation { get; set; } = 0.1;

    /// <summary>Share of requests for test. Range: [0, 1).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Test { get; set; } = 0.1;
}

/// <summary>The kinds of logging policy a log can declare.</summary>
public enum LoggingPolicyKind
{
    /// <summary>
    /// Plackett–Luce without replacement over one score per candidate: each next position takes item i among those not
    /// placed yet with probability exp(sᵢ/T) / Σ exp(s_j/T) (the simulator's logger; a softmax sampler over ranking scores).
    /// </summary>
    PlackettLuce,
}

/// <summary>
/// A declared logging policy (YAML <c>logging_policy: {type: plackett_luce, log_prior: ctr, temperature: 0.5}</c>): the
/// scores come from a column of the file (<c>score</c>) or are the log of one of the priors (<c>log_prior</c>), exactly one
/// of the two. Where the file also records propensities, the reader checks them against the declared policy's.
/// </summary>
public sealed class LogLoggingPolicyOptions
{
    /// <summary>The policy's family (YAML <c>type</c>).</summary>
    public LoggingPolicyKind Type { get; set; } = LoggingPolicyKind.PlackettLuce;

    /// <summary>The file's column holding each candidate's logging score sᵢ (a finite float on every candidate row).</summary>
    public string? Score { get; set; }

    /// <summary>A column of <c>features.priors</c> whose log is the score: sᵢ = ln prior (every value must then be above 0).</summary>
    public string? LogPrior { get; set; }

    /// <summary>The sampling temperature T. Range: (0, 1000].</summary>
    [Range(1e-6, 1000.0)]
    public double Temperature { get; set; } = 1.0;

    /// <summary>
    /// Monte Carlo draws per request for position and pair marginals where the exact computation is too large (IIPS, PI;
    /// see <c>PlackettLuceLoggingPolicy</c>). Range: [100, 10000000].
    /// </summary>
    [Range(100, 10_000_000)]
    public int Samples { get; set; } = 20000;

    internal IEnumerable<string> Validate(LogFeatureColumns features)
    {
        if ((Score is null) == (LogPrior is null))
        {
            yield return "logging_policy: give exactly one of score (a column of logging scores) and log_prior (a prior whose log is the score)";
        }

        if (LogPrior is { } prior && !features.Priors.Contains(prior, StringComparer.Ordinal))
        {
            yield return features.Priors.Length == 0
                ? $"logging_policy.log_prior: '{prior}' is not a prior: features.priors is empty"
                : $"logging_policy.log_prior: '{prior}' is not one of features.priors ({string.Join(", ", features.Priors)})";
        }
    }
}
