using System.Globalization;
using System.Text;
using System.Text.Json;
using Rerank.Evaluation.Metrics;
using Rerank.Runtime.IO;

namespace Rerank.Evaluation.Results;

/// <summary>Writes results.json (the stable shape), results.csv, results.md and run.json (details for reports), each atomically.</summary>
public static partial class ResultWriters
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Writes results.json, results.csv, results.md, run.json and report.html into <paramref name="directory"/> (created if missing); returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(ExperimentResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        void Write(string name, string text)
        {
            var path = Path.Combine(directory, name);
            AtomicFile.WriteAllText(path, text);
            files.Add(path);
        }

        Write("results.json", Json(result));
        Write("results.csv", Csv(result));
        Write("results.md", Markdown(result));
        Write("run.json", Details(result));
        Write(Reports.ReportPage.FileName, Reports.ReportPage.Render(result));
        return files;
    }

    /// <summary>
    /// <c>{"experiment", "dataset": {...}, "rows": [{"pipeline", "status", "metrics": {...}}]}</c>; a failed row has
    /// <c>"status": "failed"</c>, an <c>"error"</c> and empty metrics (both fields were added after the first schema).
    /// With several seeds, <c>"seeds": [...]</c> follows the name and each row has <c>"std": {...}</c> after its metrics
    /// (which are then means); with <c>compare_to</c> naming one pipeline, <c>"compare_to": {"pipeline", ...}</c> and each
    /// other row's <c>"difference": {metric: {"mean", "low", "high", "requests", "includes_zero"}}</c>; with several,
    /// <c>"compare_to": {"pipelines": [...], ...}</c> and each row's <c>"differences": {reference: {metric: {...}}}</c>
    /// (every reference but the row itself). A tuned row has
    /// <c>"tuned": {"metric", "grid_points", "choices": [{"seed", "requests", "params": {key: value}, "score"}]}</c>
    /// (one choice per seed). With <c>evaluation.off_policy</c>, <c>"off_policy"</c> after <c>"compare_to"</c> (the settings)
    /// and last in each row (the estimates; see <see cref="OffPolicyJson"/>).
    /// </summary>
    public static string Json(ExperimentResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Indented))
        {
            w.WriteStartObject();
            w.WriteString("experiment", result.Experiment);
            if (result.MultiSeed)
            {
                w.WriteStartArray("seeds");
                foreach (var seed in result.Seeds!)
                {
                    w.WriteNumberValue(seed);
                }

                w.WriteEndArray();
            }

            if (result.Comparison is { } comparison)
            {
                w.WriteStartObject("compare_to");
                if (comparison.Several)
                {
                    w.WriteStartArray("pipelines");
                    foreach (var reference in comparison.References)
                    {
                        w.WriteStringValue(reference);
                    }

                    w.WriteEndArray();
                }
                else
                {
                    w.WriteString("pipeline", comparison.References[0]);
                }

                w.WriteNumber("level", comparison.Level);
                w.WriteNumber("bootstrap_samples", comparison.BootstrapSamples);
                w.WriteString("interval", "percentile bootstrap of the mean paired difference (row − reference) over test requests, pooled over seeds");
                w.WriteEndObject();
            }

            if (result.OffPolicy is { } offPolicy)
            {
                OffPolicyJson.WriteSettings(w, offPolicy);
            }

            w.WriteStartObject("dataset");
            foreach (var (key, value) in result.Dataset)
            {
                WriteValue(w, key, value);
            }

            w.WriteEndObject();
            w.WriteStartArray("rows");
            foreach (var row in result.Rows)
            {
                w.WriteStartObject();
                w.WriteString("pipeline", row.Pipeline);
                w.WriteString("status", row.Status);
                if (row.Error is not null)
                {
                    w.WriteString("error", row.Error);
                }

                w.WriteStartObject("metrics");
                foreach (var (metric, value) in row.Metrics)
                {
                    WriteValue(w, metric, value);
                }

                w.WriteEndObject();
                if (row.Std is not null)
                {
                    w.WriteStartObject("std");
                    foreach (var (metric, value) in row.Std)
                    {
                        WriteValue(w, metric, value);
                    }

                    w.WriteEndObject();
                }

                if (row.Tuned is { } tuned)
                {
                    WriteTuned(w, tuned);
                }

                if (row.Differences is not null && result.Comparison is { Several: true } several)
                {
                    w.WriteStartObject("differences");
                    foreach (var reference in several.References.Where(row.HasDifferencesTo))
                    {
                        WriteDifferences(w, reference, row.Differences.Where(d => d.Reference == reference));
                    }

                    w.WriteEndObject();
                }
                else if (row.Differences is not null)
                {
                    WriteDifferences(w, "difference", row.Differences);
                }

                if (row.OffPolicy is not null)
                {
                    OffPolicyJson.WriteCells(w, row.OffPolicy, result.OffPolicy?.MinEss ?? 0);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// The line that says how a tuned row's params were chosen, e.g. <c>mmr: tuned on 200 validation requests:
    /// diversify.lambda = 0.3 (utility 0.8123; grid of 10)</c>; with several seeds each value and score is listed per
    /// seed (<c>lambda = 0.3, 0.3, 0.4</c>). Null for a row that was not tuned.
    /// </summary>
    public static string? TuningNote(ResultRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Tuned is not { Choices.Count: > 0 } tuned)
        {
            return null;
        }

        var choices = tuned.Choices;
        var multi = choices.Count > 1;
        var requests = string.Join(", ", choices.Select(c => c.Requests).Distinct());
        var values = string.Join(multi ? "; " : ", ", choices[0].Values.Select((kv, i) => $"{kv.Key} = {string.Join(", ", choices.Select(c => c.Values[i].Value))}"));
        var scores = string.Join(", ", choices.Select(c => FormatMetric(c.Score)));
        return $"{row.Pipeline}: tuned on {requests} validation requests{(multi ? " per seed" : "")}: {values} ({tuned.Metric} {scores}; grid of {tuned.GridPoints})";
    }

    /// <summary>
    /// The metric columns of the tables (results.md, the console, report.html): every metric name of
    /// <paramref name="result"/>'s rows in first-seen order, less those no row has a value of (on logs, the utility,
    /// hit-rate and oracle columns, which need the simulator's truth). results.csv and results.json keep every metric.
    /// </summary>
    public static List<string> MetricNames(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Rows.SelectMany(r => r.Metrics.Select(m => m.Key)).Distinct().Where(m => result.Rows.Any(r => r[m] is not null))];
    }

    /// <summary>Every metric some row has a difference to <paramref name="reference"/> in, in first-seen order.</summary>
    public static IReadOnlyList<string> DifferenceNames(ExperimentResult result, string reference)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Rows.SelectMany(r => r.Differences ?? []).Where(d => d.Reference == reference).Select(d => d.Metric).Distinct()];
    }

    /// <summary>
    /// The rows of <paramref name="reference"/>'s difference table: those with differences to it (with one reference,
    /// every row that has differences at all, as before several references were allowed).
    /// </summary>
    public static IReadOnlyList<ResultRow> DifferenceRows(ExperimentResult result, string reference)
    {
        ArgumentNullException.ThrowIfNull(result);
        var several = result.Comparison?.Several == true;
        return [.. result.Rows.Where(r => r.Differences is not null && r.Pipeline != reference && (!several || r.HasDifferencesTo(reference)))];
    }

    /// <summary>A row's metric as the tables show it: <see cref="FormatMetric"/>, then <c> ± std</c> with several seeds.</summary>
    public static string FormatCell(ResultRow row, string metric)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row[metric] is { } mean && row.StdOf(metric) is { } std ? $"{FormatMetric(mean)} ± {FormatMetric(std)}" : FormatMetric(row[metric]);
    }

    /// <summary>A difference as the tables show it: <c>+0.0400 [+0.0300, +0.0500]</c>, with <c> n.s.</c> when the interval includes 0.</summary>
    public static string FormatDifference(MetricDifference difference)
    {
        ArgumentNullException.ThrowIfNull(difference);
        return FormatDifference(difference.Interval);
    }

    /// <summary>An interval as the difference tables show it: <c>+0.0400 [+0.0300, +0.0500]</c>, with <c> n.s.</c> when it includes 0.</summary>
    public static string FormatDifference(BootstrapInterval interval) =>
        $"{Signed(interval.Mean)} [{Signed(interval.Low)}, {Signed(interval.High)}]{(interval.IncludesZero ? " n.s." : "")}";

    /// <summary>The title of <paramref name="reference"/>'s difference table: <c>difference to dpp, 95% bootstrap interval over requests</c>.</summary>
    public static string DifferenceTitle(Comparison comparison, string reference)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return $"difference to {reference}, {comparison.Level * 100:0}% bootstrap interval over requests";
    }

    /// <summary>What <paramref name="reference"/>'s difference table shows, in one sentence.</summary>
    public static string DifferenceNote(Comparison comparison, string reference)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return $"Mean paired difference per request (row − {reference}) with its {comparison.Level * 100:0}% percentile bootstrap interval "
            + $"({comparison.BootstrapSamples} resamples of the test requests, pooled over seeds); n.s.: the interval includes 0.";
    }

    /// <summary>A value with its sign: <c>+0.0400</c>, <c>-0.0100</c>.</summary>
    public static string Signed(double value) => (value > 0 ? "+" : "") + FormatMetric(value);

    /// <summary>A metric as the tables show it: four decimals (one from 100 up), an en dash when it was not measured.</summary>
    public static string FormatMetric(double? value) => value switch
    {
        null => "–",
        { } v when Math.Abs(v) >= 100 => v.ToString("F1", CultureInfo.InvariantCulture),
        { } v => v.ToString("F4", CultureInfo.InvariantCulture),
    };

    private static string[] DifferenceColumns(string metric, string suffix) =>
        [metric + "_diff" + suffix, metric + "_diff_low" + suffix, metric + "_diff_high" + suffix];

    /// <summary><c>"name": {metric: {"mean", "low", "high", "requests", "includes_zero"}}</c>.</summary>
    private static void WriteDifferences(Utf8JsonWriter w, string name, IEnumerable<MetricDifference> differences)
    {
        w.WriteStartObject(name);
        foreach (var d in differences)
        {
            w.WriteStartObject(d.Metric);
            WriteValue(w, "mean", d.Interval.Mean);
            WriteValue(w, "low", d.Interval.Low);
            WriteValue(w, "high", d.Interval.High);
            w.WriteNumber("requests", d.Interval.Count);
            w.WriteBoolean("includes_zero", d.Interval.IncludesZero);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteTuned(Utf8JsonWriter w, TuningOutcome tuned)
    {
        w.WriteStartObject("tuned");
        w.WriteString("metric", tuned.Metric);
        w.WriteNumber("grid_points", tuned.GridPoints);
        w.WriteStartArray("choices");
        foreach (var choice in tuned.Choices)
        {
            w.WriteStartObject();
            w.WriteNumber("seed", choice.Seed);
            w.WriteNumber("requests", choice.Requests);
            w.WriteStartObject("params");
            foreach (var (key, value) in choice.Values)
            {
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    w.WriteNumber(key, number);
                }
                else
                {
                    w.WriteString(key, value);
                }
            }

            w.WriteEndObject();
            WriteValue(w, "score", choice.Score);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, string key, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNull(key);
                break;
            case double d when double.IsFinite(d):
                w.WriteNumber(key, d);
                break;
            case double:
                w.WriteNull(key);
                break;
            case float f:
                w.WriteNumber(key, f);
                break;
            case int i:
                w.WriteNumber(key, i);
                break;
            case long l:
                w.WriteNumber(key, l);
                break;
            case ulong u:
                w.WriteNumber(key, u);
                break;
            case bool b:
                w.WriteBoolean(key, b);
                break;
            case ulong[] numbers:
                w.WriteStartArray(key);
                foreach (var n in numbers)
                {
                    w.WriteNumberValue(n);
                }

                w.WriteEndArray();
                break;
            case System.Collections.IEnumerable list when value is not string:
                w.WriteStartArray(key);
                foreach (var item in list)
                {
                    w.WriteStringValue(Convert.ToString(item, CultureInfo.InvariantCulture));
                }

                w.WriteEndArray();
                break;
            default:
                w.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable list when value is not string => "[" + string.Join(", ", list.Cast<object>().Select(Format)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string CsvNumber(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string CsvField(string text) =>
        text.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
