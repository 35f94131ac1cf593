using System.Globalization;
using System.Text;
using Rerank.Evaluation.Results;

namespace Rerank.Evaluation.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline CSS and SVG, no script, no network) showing what a run produced —
/// quality per pipeline against the exhaustive optimum, training curves, latency distributions, the resolved pipeline
/// graphs and the dataset parameters.
/// </summary>
public static partial class ReportPage
{
    /// <summary>The page's file name in a run's output folder.</summary>
    public const string FileName = "report.html";

    /// <summary>The whole page.</summary>
    public static string Render(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Html.Escape(result.Experiment)).Append(" · rerank report</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n");
        page.Append("<header><h1>").Append(Html.Escape(result.Experiment)).Append("</h1>")
            .Append("<p class=\"lead\">").Append(Html.Escape(Summary(result))).Append("</p>")
            .Append("<nav><a href=\"#quality\">Quality</a>").Append(result.OffPolicy is null ? "" : "<a href=\"#off-policy\">Off-policy</a>")
            .Append("<a href=\"#training\">Training</a><a href=\"#latency\">Latency</a>")
            .Append("<a href=\"#pipelines\">Pipelines</a><a href=\"#dataset\">Dataset</a></nav></header>\n<main>\n");
        Quality(page, result);
        OffPolicySection(page, result);
        Training(page, result);
        LatencySection(page, result);
        Pipelines(page, result);
        Dataset(page, result);
        page.Append("</main>\n<footer>Written by <code>rerank run</code>. Self-contained: no script, no network; ")
            .Append("the same numbers are in results.json and run.json.</footer>\n</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>Rows that are pipelines scored on list quality (evaluator-quality rows have no <c>utility</c> column).</summary>
    internal static List<ResultRow> PipelineRows(ExperimentResult result) =>
        [.. result.Rows.Where(r => r.Metrics.Any(m => m.Key == "utility"))];

    private static string Summary(ExperimentResult result)
    {
        var rows = PipelineRows(result);
        var best = rows.Where(r => r["utility"] is not null).MaxBy(r => r["utility"]!.Value);
        var text = $"{rows.Count} pipeline{(rows.Count == 1 ? "" : "s")} compared";
        if (best is not null)
        {
            text += $"; highest expected utility: {best.Pipeline} ({Html.Number(best["utility"]!.Value)}";
            text += best["oracle_ratio"] is { } ratio ? $", {ratio.ToString("P1", CultureInfo.InvariantCulture)} of the exhaustive optimum)" : ")";
        }

        var failed = result.FailedRows.Count;
        return text + (failed == 0 ? "." : $"; {failed} failed (see Failed below).");
    }

    private static void Section(StringBuilder page, string id, string title, string intro)
    {
        page.Append("<section id=\"").Append(Html.Escape(id)).Append("\"><h2>").Append(Html.Escape(title)).Append("</h2>");
        if (intro.Length > 0)
        {
            page.Append("<p class=\"note\">").Append(Html.Escape(intro)).Append("</p>");
        }
    }

    private static void Figure(StringBuilder page, string svg, string caption) =>
        page.Append("<figure>").Append(svg).Append("<figcaption>").Append(Html.Escape(caption)).Append("</figcaption></figure>\n");

    private static void Table(StringBuilder page, string cssClass, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        page.Append("<div class=\"scroll\"><table class=\"").Append(Html.Escape(cssClass)).Append("\"><thead><tr>");
        foreach (var h in header)
        {
            page.Append("<th>").Append(Html.Escape(h)).Append("</th>");
        }

        page.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            page.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                page.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(Html.Escape(row[i])).Append(i == 0 ? "</th>" : "</td>");
            }

            page.Append("</tr>");
        }

        page.Append("</tbody></table></div>\n");
    }
}
