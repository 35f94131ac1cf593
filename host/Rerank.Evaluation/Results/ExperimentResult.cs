namespace Rerank.Evaluation.Results;

/// <summary>One row of the comparison: a pipeline and its metrics (null where a metric does not apply), or why it failed.</summary>
/// <param name="Pipeline">Pipeline name.</param>
/// <param name="Metrics">Metric name → value, in report order (empty when the pipeline failed).</param>
/// <param name="Error">Why the pipeline failed (one line), or null when it ran.</param>
public sealed record ResultRow(string Pipeline, IReadOnlyList<KeyValuePair<string, double?>> Metrics, string? Error = null)
{
    /// <summary><c>ok</c>, or <c>failed</c> when <see cref="Error"/> is set.</summary>
    public string Status => Error is null ? "ok" : "failed";

    /// <summary>The value of <paramref name="metric"/> in this row, or null when it is absent or not measured.</summary>
    public double? this[string metric] => Metrics.FirstOrDefault(m => m.Key == metric).Value;

    /// <summary>The row of a pipeline that failed: no metrics, the error.</summary>
    public static ResultRow Failed(string pipeline, string error) => new(pipeline, [], error);
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
public sealed record ExperimentResult(
    string Experiment,
    IReadOnlyList<KeyValuePair<string, object?>> Dataset,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyDictionary<string, string> Graphs,
    IReadOnlyDictionary<string, double[]> Latencies,
    IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, double>>> StageShares,
    IReadOnlyList<TrainingCurve> Training)
{
    /// <summary>The rows of pipelines (or evaluators) that failed.</summary>
    public IReadOnlyList<ResultRow> FailedRows => [.. Rows.Where(r => r.Error is not null)];
}
