using Rerank.Evaluation.Metrics;

namespace Rerank.Evaluation.Results;

/// <summary>One row of the comparison: a pipeline and its metrics (null where a metric does not apply), or why it failed.</summary>
/// <param name="Pipeline">Pipeline name.</param>
/// <param name="Metrics">Metric name → value (the mean over seeds when there are several), in report order (empty when the pipeline failed).</param>
/// <param name="Error">Why the pipeline failed (one line), or null when it ran.</param>
/// <param name="Std">With several seeds: metric name → sample standard deviation over seeds (n − 1); null with one seed.</param>
/// <param name="Differences">With <c>compare_to</c>: per reference other than this row and per metric with per-request values, the paired difference to the reference row and its bootstrap interval (in reference order, then metric order); null without <c>compare_to</c>, on a failed row, and on the reference row when it is the only reference.</param>
/// <param name="Tuned">For a pipeline with <c>tune:</c>, the params chosen on the validation requests (per seed); null otherwise.</param>
/// <param name="OffPolicy">With <c>evaluation.off_policy</c>: the pipeline's off-policy estimates, one cell per estimator (runs per seed); null otherwise.</param>
public sealed record ResultRow(
    string Pipeline,
    IReadOnlyList<KeyValuePair<string, double?>> Metrics,
    string? Error = null,
    IReadOnlyList<KeyValuePair<string, double?>>? Std = null,
    IReadOnlyList<MetricDifference>? Differences = null,
    TuningOutcome? Tuned = null,
    IReadOnlyList<OffPolicyCell>? OffPolicy = null)
{
    /// <summary><c>ok</c>, or <c>failed</c> when <see cref="Error"/> is set.</summary>
    public string Status => Error is null ? "ok" : "failed";

    /// <summary>The value of <paramref name="metric"/> in this row, or null when it is absent or not measured.</summary>
    public double? this[string metric] => Metrics.FirstOrDefault(m => m.Key == metric).Value;

    /// <summary>The standard deviation over seeds of <paramref name="metric"/>, or null with one seed or when not measured.</summary>
    public double? StdOf(string metric) => Std?.FirstOrDefault(m => m.Key == metric).Value;

    /// <summary>The difference to <paramref name="reference"/> in <paramref name="metric"/>, or null when there is none.</summary>
    public MetricDifference? DifferenceOf(string reference, string metric) => Differences?.FirstOrDefault(d => d.Reference == reference && d.Metric == metric);

    /// <summary>Whether this row has differences to <paramref name="reference"/> (a row in that reference's difference table).</summary>
    public bool HasDifferencesTo(string reference) => Differences?.Any(d => d.Reference == reference) == true;

    /// <summary>The row of a pipeline that failed: no metrics, the error.</summary>
    public static ResultRow Failed(string pipeline, string error) => new(pipeline, [], error);
}

/// <summary>How a tuned row's params were chosen: a grid searched on the validation requests, once per seed.</summary>
/// <param name="Metric">The metric maximised (<c>utility</c>).</param>
/// <param name="GridPoints">The number of grid points searched.</param>
/// <param name="Choices">The choice of each seed's run, in seed order.</param>
public sealed record TuningOutcome(string Metric, int GridPoints, IReadOnlyList<TuningChoice> Choices);

/// <summary>The grid point one run chose (the best validation score; ties to the first point in grid order).</summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="Requests">Validation requests it was scored on.</param>
/// <param name="Values">Grid key → the chosen value as written, in grid order.</param>
/// <param name="Score">Its validation score (mean over the requests).</param>
public sealed record TuningChoice(ulong Seed, int Requests, IReadOnlyList<KeyValuePair<string, string>> Values, double Score);

/// <summary>A row's paired difference (row − reference) in one metric, with its bootstrap interval over requests pooled over seeds.</summary>
/// <param name="Reference">The reference pipeline (one of <see cref="Comparison.References"/>).</param>
/// <param name="Metric">Metric name.</param>
/// <param name="Interval">The mean difference per request and its interval.</param>
public sealed record MetricDifference(string Reference, string Metric, BootstrapInterval Interval);

/// <summary>How rows are compared with reference rows (<c>evaluation.compare_to</c>).</summary>
/// <param name="References">The reference pipelines, in the order <c>compare_to</c> lists them (at least one).</param>
/// <param name="BootstrapSamples">Bootstrap resamples B.</param>
/// <param name="Level">Coverage of the intervals (0.95).</param>
public sealed record Comparison(IReadOnlyList<string> References, int BootstrapSamples, double Level)
{
    /// <summary>Whether there are several references (results.json then has <c>"differences"</c> by reference instead of <c>"difference"</c>).</summary>
    public bool Several => References.Count > 1;
}

/// <summary>Loss curve of one trained component.</summary>
/// <param name="Component">plugin@version/name.</param>
/// <param name="Epochs">(epoch, train loss, validation loss).</param>
/// <param name="Seconds">Training time.</param>
public sealed record TrainingCurve(string Component, IReadOnlyList<(int Epoch, double Train, double? Validation)> Epochs, double Seconds);

/// <summary>Everything a run produced: the comparison rows plus details for reports.</summary>
/// <param name="Experiment">Experiment name.</param>
/// <param name="Dataset">Dataset parameters (type and every param, defaults included).</param>
/// <param name="Rows">One row per pipeline.</param>
/// <param name="Graphs">Resolved pipeline graphs, by pipeline.</param>
/// <param name="Latencies">Per-request latencies in ms, by pipeline.</param>
/// <param name="StageShares">Share of batch time per stage, by pipeline.</param>
/// <param name="Training">Loss curves of trained components.</param>
/// <param name="Seeds">The seeds the run was repeated under when there were several (metrics are means over them); null or one entry for a single run.</param>
/// <param name="Comparison">The reference rows and bootstrap settings of the differences, or null without <c>compare_to</c>.</param>
/// <param name="OffPolicy">How the off-policy estimates were made and what was skipped, or null without <c>evaluation.off_policy</c>.</param>
public sealed record ExperimentResult(
    string Experiment,
    IReadOnlyList<KeyValuePair<string, object?>> Dataset,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyDictionary<string, string> Graphs,
    IReadOnlyDictionary<string, double[]> Latencies,
    IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, double>>> StageShares,
    IReadOnlyList<TrainingCurve> Training,
    IReadOnlyList<ulong>? Seeds = null,
    Comparison? Comparison = null,
    OffPolicySettings? OffPolicy = null)
{
    /// <summary>Whether metrics are means over several seeds (rows carry <see cref="ResultRow.Std"/>).</summary>
    public bool MultiSeed => Seeds is { Count: > 1 };

    /// <summary>The rows of pipelines (or evaluators) that failed.</summary>
    public IReadOnlyList<ResultRow> FailedRows => [.. Rows.Where(r => r.Error is not null)];
}
