using System.Text;
using System.Text.Json;
using Rerank.Evaluation.Results;

namespace Rerank.Cli.Reports;

/// <summary>
/// A Markdown table read back from a results.json (the file <c>rerank run</c> writes), with the cells formatted as in
/// results.md: four decimals, an en dash when not measured, <c>mean ± std</c> with several seeds.
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

        return Markdown(Read(file), columns, file);
    }

    private static string Markdown(IReadOnlyList<Row> rows, IReadOnlyList<string> columns, string file)
    {
        var metrics = rows.SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
        List<string> selected = columns.Count > 0 ? [.. columns] : [Pipeline, .. metrics];
        var unknown = selected.Where(c => c != Pipeline && !metrics.Contains(c, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"{file}: no metric {string.Join(", ", unknown.Select(u => $"'{u}'"))}; it has {Pipeline}, {string.Join(", ", metrics)}");
        }

        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", selected)).Append(" |\n");
        sb.Append('|').Append(string.Concat(selected.Select(c => c == Pipeline ? "---|" : "---:|"))).Append('\n');
        foreach (var row in rows)
        {
            sb.Append("| ").Append(string.Join(" | ", selected.Select(c => c == Pipeline ? row.Pipeline : Cell(row, c)))).Append(" |\n");
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

    private static List<Row> Read(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            if (!doc.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{file}: not a results.json (no \"rows\" array)");
            }

            return [.. rows.EnumerateArray().Select(r => new Row(
                r.GetProperty("pipeline").GetString() ?? "",
                Numbers(r, "metrics"),
                Numbers(r, "std")))];
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

    private sealed record Row(string Pipeline, Dictionary<string, double?> Metrics, Dictionary<string, double?> Std);
}
