using System.Text;
using System.Text.Json;
using Rerank.Evaluation.Metrics;
using Rerank.Evaluation.Results;

namespace Rerank.Cli.Reports;

/// <summary>
/// A Markdown table read back from a results.json (the file <c>rerank run</c> writes), with the cells formatted as in
/// results.md: four decimals, an en dash when not measured, <c>mean ± std</c> with several seeds; or the difference
/// table to one of its <c>compare_to</c> references, each cell <c>mean [low, high]</c> with <c> n.s.</c> when the
/// interval includes 0. Both results.json shapes are read: <c>"difference"</c> (one reference, named by
/// <c>"compare_to": {"pipeline"}</c>) and <c>"differences": {reference: …}</c> (several).
/// </summary>
internal static class ResultsTable
{
    /// <summary>The column that holds the row's name; every other column is a metric.</summary>
    public const string Pipeline = "pipeline";

    /// <summary>results.json itself, or the one inside <paramref name="path"/> when it is a folder.</summary>
    public static string ResolveFile(string path) =>
        Directory.Exists(path) ? Path.Combine(path, "results.json") : path;

    /// <summary>
    /// The table of the results file at <paramref name="path"/> (a results.json or the folder holding it) with
    /// <paramref name="columns"/> (<c>pipeline</c> and metric names; empty: <c>pipeline</c> and every metric).
    /// </summary>
    /// <exception cref="FileNotFoundException">No results file there; the message names the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a results.json, or a column is no metric of it.</exception>
    public static string Markdown(string path, IReadOnlyList<string> columns)
    {
        var file = ResolveFile(path);
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"results file not found: {file} (run the experiment with --out first)", file);
        }

        return Markdown(Read(file).Rows, columns, file);
    }

    /// <summary>
    /// The difference table to <paramref name="reference"/> of the results file at <paramref name="path"/>: a row per
    /// pipeline compared with it, <paramref name="columns"/> as for <see cref="Markdown(string, IReadOnlyList{string})"/>
    /// but over the metrics that have differences (empty: <c>pipeline</c> and every one).
    /// </summary>
    /// <exception cref="FileNotFoundException">No results file there; the message names the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a results.json, has no differences to <paramref name="reference"/>, or a column is no metric of them.</exception>
    public static string DifferenceMarkdown(string path, string reference, IReadOnlyList<string> columns)
    {
        var file = ResolveFile(path);
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"results file not found: {file} (run the experiment with --out first)", file);
        }

        var results = Read(file);
        if (!results.References.Contains(reference, StringComparer.Ordinal))
        {
            throw new InvalidDataException(results.References.Count == 0
                ? $"{file}: no differences to '{reference}': the run had no evaluation.compare_to"
                : $"{file}: no differences to '{reference}'; it has differences to {string.Join(", ", results.References)}");
        }

        var rows = results.Rows.Where(r => r.Differences.ContainsKey(reference)).ToList();
        var metrics = rows.SelectMany(r => r.Differences[reference].Keys).Distinct(StringComparer.Ordinal).ToList();
        return Table(rows, metrics, columns, file, $"difference to '{reference}' in", (row, metric) => row.Differences[reference].GetValueOrDefault(metric) is { } d ? ResultWriters.FormatDifference(d) : "–");
    }

    /// <summary>
    /// The off-policy check table of the results file at <paramref name="path"/>: a line per pipeline and estimator
    /// (<paramref name="estimators"/> in that order; empty: every one), as results.md's "Estimates in detail"; or, with
    /// <paramref name="estimators"/> = <c>[summary]</c>, the summary per estimator against the truth.
    /// </summary>
    /// <exception cref="FileNotFoundException">No results file there; the message names the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a results.json, has no off-policy estimates, or not the estimators named.</exception>
    public static string OffPolicyMarkdown(string path, IReadOnlyList<string> estimators)
    {
        var file = ResolveFile(path);
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"results file not found: {file} (run the experiment with --out first)", file);
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var settings = OffPolicyJson.ReadSettings(doc.RootElement)
                ?? throw new InvalidDataException($"{file}: no off-policy estimates: the run had no evaluation.off_policy");
            var rows = doc.RootElement.GetProperty("rows").EnumerateArray()
                .Select(r => (Pipeline: r.GetProperty("pipeline").GetString() ?? "", Cells: OffPolicyJson.ReadCells(r, settings)))
                .Where(r => r.Cells is not null)
                .ToList();
            if (estimators is ["summary"])
            {
                return ResultWriters.OffPolicySummaryTable(rows.Select(r => (r.Pipeline, r.Cells!)), settings) is { Length: > 0 } summary
                    ? summary
                    : throw new InvalidDataException($"{file}: no truth beside the off-policy estimates to summarise against (a run on the simulator has it)");
            }

            var known = rows.SelectMany(r => r.Cells!).Select(c => c.Estimator).Distinct(StringComparer.Ordinal).ToList();
            var unknown = estimators.Where(e => !known.Contains(e, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidDataException($"{file}: no off-policy estimator {string.Join(", ", unknown.Select(u => $"'{u}'"))}; it has {string.Join(", ", known)}");
            }

            var order = estimators.Count > 0 ? estimators : known;
            return ResultWriters.OffPolicyCheckTable(
                rows.Select(r => (r.Pipeline, (IReadOnlyList<OffPolicyCell>)[.. order.Select(e => r.Cells!.FirstOrDefault(c => c.Estimator == e)).OfType<OffPolicyCell>()])),
                settings);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{file}: not a results.json ({e.Message})", e);
        }
    }

    /// <summary>
    /// One statistic (<see cref="ResultWriters.OffPolicySweepStatistics"/>) of the off-policy checks in the subfolders of
    /// <paramref name="folder"/> (each holding a results.json of a run on the simulator), side by side: a row per run,
    /// labelled by the dataset settings whose values differ between the runs (a column each, rows sorted by them; the
    /// folder's name when none differs), and a column per estimator.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder or every results file is missing; the message names the path.</exception>
    /// <exception cref="InvalidDataException">An unknown statistic; a run with no off-policy estimates or no truth, or not a results.json.</exception>
    public static string OffPolicySweepMarkdown(string folder, string statistic)
    {
        if (!ResultWriters.OffPolicySweepStatistics.Contains(statistic, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"unknown off-policy statistic 'sweep:{statistic}'; one of {string.Join(", ", ResultWriters.OffPolicySweepStatistics.Select(s => "sweep:" + s))}");
        }

        if (!Directory.Exists(folder))
        {
            throw new FileNotFoundException($"sweep folder not found: {folder} (it holds one folder per run, each with a results.json)", folder);
        }

        var files = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
            .Select(d => Path.Combine(d, "results.json")).Where(File.Exists).ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"no results.json in the folders of {folder} (run each setting with --out {folder}/NAME first)", folder);
        }

        var runs = files.Select(ReadSweepRun).ToList();
        var varying = runs.SelectMany(r => r.Dataset.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => k is not ("seed" or "seeds") && runs.Select(r => r.Dataset.GetValueOrDefault(k) ?? "–").Distinct(StringComparer.Ordinal).Count() > 1)
            .ToList();
        List<string> names = varying.Count > 0 ? varying : ["run"];
        var labelled = runs.Select(r => (Run: r, Values: varying.Count > 0
            ? (IReadOnlyList<string>)[.. varying.Select(k => r.Dataset.GetValueOrDefault(k) ?? "–")]
            : [Path.GetFileName(Path.GetDirectoryName(r.File)!)])).ToList();
        var ordered = labelled.Order(Comparer<(SweepRun Run, IReadOnlyList<string> Values)>.Create((a, b) => CompareValues(a.Values, b.Values))).ToList();
        return ResultWriters.OffPolicySweepTable(
            [.. ordered.Select(x => new OffPolicySweepRun(x.Values, x.Run.Settings, x.Run.Cells))],
            names,
            statistic);
    }

    private static SweepRun ReadSweepRun(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var settings = OffPolicyJson.ReadSettings(doc.RootElement)
                ?? throw new InvalidDataException($"{file}: no off-policy estimates: the run had no evaluation.off_policy");
            var cells = doc.RootElement.GetProperty("rows").EnumerateArray()
                .Select(r => OffPolicyJson.ReadCells(r, settings)).OfType<IReadOnlyList<OffPolicyCell>>().SelectMany(c => c).ToList();
            if (!cells.Any(c => c.Truth is not null))
            {
                throw new InvalidDataException($"{file}: no truth beside the off-policy estimates to summarise against (a run on the simulator has it)");
            }

            var dataset = new Dictionary<string, string>(StringComparer.Ordinal);
            if (doc.RootElement.TryGetProperty("dataset", out var d) && d.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in d.EnumerateObject())
                {
                    dataset[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText();
                }
            }

            return new SweepRun(file, dataset, settings, cells);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{file}: not a results.json ({e.Message})", e);
        }
    }

    /// <summary>Compares two rows of setting values column by column, numerically where both are numbers.</summary>
    private static int CompareValues(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        for (var i = 0; i < a.Count; i++)
        {
            var c = double.TryParse(a[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
                && double.TryParse(b[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var y)
                ? x.CompareTo(y)
                : string.CompareOrdinal(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    private static string Markdown(IReadOnlyList<Row> rows, IReadOnlyList<string> columns, string file) =>
        Table(rows, [.. rows.SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal)], columns, file, "metric", Cell);

    private static string Table(IReadOnlyList<Row> rows, List<string> metrics, IReadOnlyList<string> columns, string file, string what, Func<Row, string, string> cell)
    {
        List<string> selected = columns.Count > 0 ? [.. columns] : [Pipeline, .. metrics];
        var unknown = selected.Where(c => c != Pipeline && !metrics.Contains(c, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"{file}: no {what} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; it has {Pipeline}, {string.Join(", ", metrics)}");
        }

        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", selected)).Append(" |\n");
        sb.Append('|').Append(string.Concat(selected.Select(c => c == Pipeline ? "---|" : "---:|"))).Append('\n');
        foreach (var row in rows)
        {
            var cells = selected.Select(c => c == Pipeline ? row.Pipeline : cell(row, c)).ToList();
            if (!row.Failed && selected.Count > 1 && selected.Select((c, i) => (c, i)).All(x => x.c == Pipeline || cells[x.i] == "–"))
            {
                continue; // nothing measured in these columns (an evaluator's row in a table of list metrics, say)
            }

            sb.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");
        }

        return sb.ToString();
    }

    private static string Cell(Row row, string metric)
    {
        var mean = row.Metrics.GetValueOrDefault(metric);
        return mean is { } m && row.Std.GetValueOrDefault(metric) is { } s
            ? $"{ResultWriters.FormatMetric(m)} ± {ResultWriters.FormatMetric(s)}"
            : ResultWriters.FormatMetric(mean);
    }

    private static Results Read(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            if (!doc.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{file}: not a results.json (no \"rows\" array)");
            }

            var references = References(doc.RootElement);
            var single = references.Count == 1 ? references[0] : null;
            return new Results(references, [.. rows.EnumerateArray().Select(r => new Row(
                r.GetProperty("pipeline").GetString() ?? "",
                r.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String,
                Numbers(r, "metrics"),
                Numbers(r, "std"),
                Differences(r, single)))]);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{file}: not a results.json ({e.Message})", e);
        }
    }

    private static Dictionary<string, double?> Numbers(JsonElement row, string name)
    {
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        if (row.TryGetProperty(name, out var obj) && obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in obj.EnumerateObject())
            {
                values[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : null;
            }
        }

        return values;
    }

    /// <summary>The references of <c>"compare_to"</c>: its <c>"pipeline"</c> (one) or <c>"pipelines"</c> (several); none without it.</summary>
    private static List<string> References(JsonElement root)
    {
        if (!root.TryGetProperty("compare_to", out var compareTo) || compareTo.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        if (compareTo.TryGetProperty("pipelines", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            return [.. list.EnumerateArray().Select(p => p.GetString() ?? "")];
        }

        return compareTo.TryGetProperty("pipeline", out var one) && one.GetString() is { } name ? [name] : [];
    }

    /// <summary>A row's differences by reference: <c>"difference"</c> belongs to <paramref name="single"/>; <c>"differences"</c> names its references.</summary>
    private static Dictionary<string, Dictionary<string, BootstrapInterval?>> Differences(JsonElement row, string? single)
    {
        var result = new Dictionary<string, Dictionary<string, BootstrapInterval?>>(StringComparer.Ordinal);
        if (single is not null && row.TryGetProperty("difference", out var one) && one.ValueKind == JsonValueKind.Object)
        {
            result[single] = Intervals(one);
        }

        if (row.TryGetProperty("differences", out var several) && several.ValueKind == JsonValueKind.Object)
        {
            foreach (var reference in several.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object))
            {
                result[reference.Name] = Intervals(reference.Value);
            }
        }

        return result;
    }

    /// <summary><c>{metric: {"mean", "low", "high", "requests"}}</c>; null for a metric with a missing or null number.</summary>
    private static Dictionary<string, BootstrapInterval?> Intervals(JsonElement differences)
    {
        var result = new Dictionary<string, BootstrapInterval?>(StringComparer.Ordinal);
        foreach (var metric in differences.EnumerateObject())
        {
            var fields = Numbers(differences, metric.Name);
            result[metric.Name] = fields.GetValueOrDefault("mean") is { } mean && fields.GetValueOrDefault("low") is { } low && fields.GetValueOrDefault("high") is { } high
                ? new BootstrapInterval(mean, low, high, (int)(fields.GetValueOrDefault("requests") ?? 0))
                : null;
        }

        return result;
    }

    private sealed record Results(List<string> References, List<Row> Rows);

    private sealed record SweepRun(string File, Dictionary<string, string> Dataset, OffPolicySettings Settings, List<OffPolicyCell> Cells);

    private sealed record Row(string Pipeline, bool Failed, Dictionary<string, double?> Metrics, Dictionary<string, double?> Std, Dictionary<string, Dictionary<string, BootstrapInterval?>> Differences);
}
