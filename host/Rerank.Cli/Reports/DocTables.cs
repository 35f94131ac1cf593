using System.Text;
using System.Text.RegularExpressions;

namespace Rerank.Cli.Reports;

/// <summary>
/// Rewrites the results tables of a Markdown page from results files, so the docs cannot drift from the runs. A table
/// is marked by two comment lines; everything between them is replaced, everything else is left as it is:
/// <code>
/// &lt;!-- results: out/sortgen/results.json columns: pipeline,utility,hr@1% --&gt;
/// | pipeline | utility | hr@1% |
/// …
/// &lt;!-- /results --&gt;
/// </code>
/// The path (a results.json or its folder) is relative to the base folder (the repository root); <c>columns:</c> is
/// optional (default: pipeline and every metric). <c>differences: REF</c> (optional, before or after <c>columns:</c>)
/// makes the table the run's difference table to its <c>compare_to</c> reference REF instead, <c>columns:</c> then
/// selecting among the metrics with differences. <c>off_policy: all</c> (or <c>off_policy: IPS,RIPS</c>) makes it the
/// run's off-policy check table (<see cref="Rerank.Evaluation.Results.ResultWriters.OffPolicyCheckTable"/>): a line per
/// pipeline and estimator with estimate, interval, truth, bias and coverage over seeds; <c>off_policy: summary</c> the
/// summary per estimator against the truth; <c>off_policy: sweep:STAT</c> (STAT one of rmse, bias, coverage, ess), with
/// the path a folder of runs (one subfolder each), that statistic per estimator for every run side by side
/// (<see cref="ResultsTable.OffPolicySweepMarkdown"/>). Markers inside fenced code blocks are text, not tables.
/// </summary>
internal static partial class DocTables
{
    /// <summary>
    /// The text of <paramref name="markdown"/> with every marked table regenerated; paths relative to
    /// <paramref name="baseDirectory"/>. Problems (a missing results file, an unknown column, an unclosed block) are
    /// added to <paramref name="errors"/> as <c>source:line: message</c>, and that block is left as it was.
    /// </summary>
    public static string Rewrite(string markdown, string source, string baseDirectory, List<string> errors)
    {
        var newline = markdown.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = markdown.Split(newline);
        var sb = new StringBuilder();
        string? fence = null; // inside a fenced code block (e.g. a page showing the markers): nothing is rewritten
        for (var i = 0; i < lines.Length; i++)
        {
            sb.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                sb.Append(newline);
            }

            var trimmed = lines[i].TrimStart();
            if (fence is not null)
            {
                fence = trimmed.StartsWith(fence, StringComparison.Ordinal) ? null : fence;
                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..3];
                continue;
            }

            var start = Start().Match(lines[i]);
            if (!start.Success)
            {
                continue;
            }

            var end = Array.FindIndex(lines, i + 1, l => End().IsMatch(l));
            if (end < 0)
            {
                errors.Add($"{source}:{i + 1}: '<!-- results: … -->' has no closing '<!-- /results -->'");
                continue;
            }

            var path = start.Groups["path"].Value;
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            var keys = start.Groups["key"].Captures;
            var twice = Enumerable.Range(0, keys.Count).FirstOrDefault(k => !options.TryAdd(keys[k].Value, start.Groups["value"].Captures[k].Value), -1);
            if (twice >= 0)
            {
                errors.Add($"{source}:{i + 1}: '{keys[twice].Value}:' is given twice in '<!-- results: … -->'");
                continue; // keep the old block
            }

            var columns = options.TryGetValue("columns", out var list)
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            string table;
            try
            {
                var file = Path.Combine(baseDirectory, path);
                table = options.TryGetValue("off_policy", out var estimators)
                    ? estimators.StartsWith("sweep:", StringComparison.Ordinal)
                        ? ResultsTable.OffPolicySweepMarkdown(file, estimators["sweep:".Length..])
                        : ResultsTable.OffPolicyMarkdown(file, estimators == "all" ? [] : estimators.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    : options.TryGetValue("differences", out var reference)
                    ? ResultsTable.DifferenceMarkdown(file, reference, columns)
                    : ResultsTable.Markdown(file, columns);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException)
            {
                errors.Add($"{source}:{i + 1}: {e.Message}");
                continue; // keep the old block: the lines up to the end marker are copied as they are
            }

            sb.Append(table.Replace("\n", newline, StringComparison.Ordinal));
            i = end - 1; // the end marker is copied by the next iteration
        }

        return sb.ToString();
    }

    /// <summary>Rewrites the marked tables of each file in place (only files that change are written); returns the errors.</summary>
    public static List<string> Update(IEnumerable<string> files, string baseDirectory, TextWriter log)
    {
        var errors = new List<string>();
        foreach (var file in files)
        {
            var before = File.ReadAllText(file);
            var fileErrors = new List<string>();
            var after = Rewrite(before, file, baseDirectory, fileErrors);
            errors.AddRange(fileErrors);
            if (after != before)
            {
                Rerank.Runtime.IO.AtomicFile.WriteAllText(file, after);
                log.WriteLine($"updated {file}");
            }
        }

        return errors;
    }

    [GeneratedRegex(@"^\s*<!--\s*results:\s*(?<path>\S+)(\s+(?<key>columns|differences|off_policy):\s*(?<value>\S+))*\s*-->\s*$")]
    private static partial Regex Start();

    [GeneratedRegex(@"^\s*<!--\s*/results\s*-->\s*$")]
    private static partial Regex End();
}
