using System.Globalization;
using System.Text;
using Rerank.Evaluation.Results;

namespace Rerank.Evaluation.Reports;

/// <summary>The sections of <c>report.html</c>.</summary>
public static partial class ReportPage
{
    private static void Quality(StringBuilder page, ExperimentResult result)
    {
        Section(page, "quality", "Quality", "Expected utility is the simulator's exact expectation for each served slate, averaged over test requests. "
            + "HR@K% is the share of requests whose slate beats the top K% of random slates; the oracle ratio is utility ÷ the exhaustive optimum. "
            + "The exhaustive optimum scores 1 on all of them: the dashed line.");
        var rows = PipelineRows(result);
        var names = rows.Select(r => r.Pipeline).ToList();
        var spread = result.MultiSeed ? $" Bars are means over {result.Seeds!.Count} seeds; error bars ± one standard deviation over seeds." : "";
        Figure(page, BarChart.Render("utility", "Expected utility per pipeline", names, [Series("utility", "utility", rows)], [], "expected utility"),
            "Expected utility per pipeline (higher is better)." + spread);

        var columns = result.Rows.SelectMany(r => r.Metrics.Select(m => m.Key)).Distinct().Where(k => k.StartsWith("hr@", StringComparison.Ordinal)).ToList();
        if (rows.Any(r => r["oracle_ratio"] is not null))
        {
            columns.Add("oracle_ratio");
        }

        var series = columns.Select(c => Series(c == "oracle_ratio" ? "oracle ratio" : "HR" + c[2..], c, rows)).ToList();
        Figure(page, BarChart.Render("optimum", "HR@K% and oracle ratio per pipeline", names, series, [new ReferenceLine(1, "exhaustive optimum = 1")], "share of the optimum"),
            "HR@1/3/10% and the oracle ratio per pipeline; the dashed line is the exhaustive optimum." + spread);

        var metrics = ResultWriters.MetricNames(result);
        var failed = result.FailedRows;
        if (failed.Count == 0)
        {
            Table(page, "results", ["pipeline", .. metrics], result.Rows.Select(r => (IReadOnlyList<string>)[r.Pipeline, .. metrics.Select(m => ResultWriters.FormatCell(r, m))]));
        }
        else
        {
            Table(page, "results", ["pipeline", .. metrics, "status"], result.Rows.Select(r => (IReadOnlyList<string>)[r.Pipeline, .. metrics.Select(m => ResultWriters.FormatCell(r, m)), r.Status]));
            page.Append("<h3 id=\"failed\">Failed</h3><p class=\"note\">These ran into an error; the other rows are complete.</p>");
            Table(page, "failed", ["pipeline", "status", "error"], failed.Select(r => (IReadOnlyList<string>)[r.Pipeline, r.Status, r.Error!]));
        }

        Differences(page, result);
        page.Append("</section>\n");
    }

    /// <summary>A bar series of <paramref name="metric"/> over <paramref name="rows"/>, with ± std error bars when the rows have them.</summary>
    private static BarSeries Series(string name, string metric, IReadOnlyList<ResultRow> rows) => new(
        name,
        [.. rows.Select(r => r[metric])],
        rows.Any(r => r.Std is not null) ? [.. rows.Select(r => r[metric] is { } m && r.StdOf(metric) is { } s ? (m - s, m + s) : ((double, double)?)null)] : null);

    /// <summary>
    /// With <c>compare_to</c>, per reference: the difference in utility with its interval as a chart, and every
    /// difference in a table; n.s. ones grey. One reference keeps the ids <c>difference</c>; several get
    /// <c>difference-1</c>, <c>difference-2</c>, … in <c>compare_to</c> order.
    /// </summary>
    private static void Differences(StringBuilder page, ExperimentResult result)
    {
        if (result.Comparison is not { } comparison)
        {
            return;
        }

        for (var k = 0; k < comparison.References.Count; k++)
        {
            Differences(page, result, comparison, comparison.References[k], comparison.Several ? $"difference-{k + 1}" : "difference");
        }
    }

    private static void Differences(StringBuilder page, ExperimentResult result, Comparison comparison, string reference, string id)
    {
        page.Append("<h3 id=\"").Append(id).Append("\">Difference to ").Append(Html.Escape(reference)).Append("</h3><p class=\"note\">")
            .Append(Html.Escape(ResultWriters.DifferenceNote(comparison, reference) + " Grey: not significant at this level.")).Append("</p>");
        var rows = ResultWriters.DifferenceRows(result, reference);
        var metrics = ResultWriters.DifferenceNames(result, reference);
        if (metrics.Contains("utility"))
        {
            var intervals = rows.Select(r => r.DifferenceOf(reference, "utility")?.Interval).ToList();
            var series = new BarSeries(
                "utility − " + reference,
                [.. intervals.Select(i => i?.Mean)],
                [.. intervals.Select(i => i is { } x ? (x.Low, x.High) : ((double, double)?)null)],
                [.. intervals.Select(i => i?.IncludesZero == true)]);
            Figure(page, BarChart.Render(id, "Difference in expected utility to " + reference, [.. rows.Select(r => r.Pipeline)], [series], [], "Δ expected utility"),
                $"Mean difference in expected utility per request to {reference}; error bars: the {comparison.Level * 100:0}% bootstrap interval; grey bars: the interval includes 0.");
        }

        page.Append("<div class=\"scroll\"><table class=\"difference\"><thead><tr><th>pipeline</th>");
        foreach (var m in metrics)
        {
            page.Append("<th>Δ ").Append(Html.Escape(m)).Append("</th>");
        }

        page.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            page.Append("<tr><th scope=\"row\">").Append(Html.Escape(row.Pipeline)).Append("</th>");
            foreach (var m in metrics)
            {
                var d = row.DifferenceOf(reference, m);
                page.Append(d?.Interval.IncludesZero == true ? "<td class=\"ns\">" : "<td>").Append(Html.Escape(d is null ? "–" : ResultWriters.FormatDifference(d))).Append("</td>");
            }

            page.Append("</tr>");
        }

        page.Append("</tbody></table></div>\n");
    }

    private static void Training(StringBuilder page, ExperimentResult result)
    {
        Section(page, "training", "Training", result.Training.Count == 0
            ? "No component was trained in this run: no pipeline has a trainable component, or every checkpoint was loaded from disk."
            : "Loss per epoch of every component this run trained: train (solid) and validation (dashed).");
        for (var i = 0; i < result.Training.Count; i++)
        {
            var curve = result.Training[i];
            var color = Palette.Color(i);
            var train = new LineSeries("train", [.. curve.Epochs.Select(e => ((double)e.Epoch, e.Train))]);
            var validation = new LineSeries("validation", [.. curve.Epochs.Where(e => e.Validation is not null).Select(e => ((double)e.Epoch, e.Validation!.Value))], Dashed: true);
            var last = curve.Epochs.Count > 0 ? curve.Epochs[^1] : default;
            var caption = $"{curve.Component}: {curve.Epochs.Count} epochs in {curve.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
            if (curve.Epochs.Count > 0)
            {
                caption += $"; final train loss {Html.Number(last.Train)}" + (last.Validation is { } v ? $", validation {Html.Number(v)}" : "");
            }

            Figure(page, LineChart.Render("training", "Loss of " + curve.Component, validation.Points.Count > 0 ? [train, validation] : [train], "epoch", "loss", [color, color]), caption + ".");
        }

        page.Append("</section>\n");
    }

    private static void LatencySection(StringBuilder page, ExperimentResult result)
    {
        Section(page, "latency", "Latency", "Single-request calls (batch of 1) after warm-up. Whiskers p1–p99, box p25–p75, bar at the median, dot at the maximum.");
        var distributions = result.Latencies.Select(kv => new Distribution(kv.Key, kv.Value)).ToList();
        Figure(page, BoxPlot.Render("latency", "Latency per request", distributions, "ms"), "Latency per request, per pipeline.");
        if (result.StageShares.Count > 0)
        {
            page.Append("<h3>Where batch time goes</h3><table class=\"shares\"><thead><tr><th>pipeline</th><th>stage</th><th>share</th></tr></thead><tbody>");
            foreach (var (pipeline, shares) in result.StageShares)
            {
                foreach (var (stage, share) in shares)
                {
                    var percent = Math.Clamp(share * 100, 0, 100);
                    page.Append("<tr><th scope=\"row\">").Append(Html.Escape(pipeline)).Append("</th><td>").Append(Html.Escape(stage))
                        .Append("</td><td><span class=\"share\" style=\"width:").Append(Html.Coord(percent * 2)).Append("px\"></span> ")
                        .Append(percent.ToString("0.0", CultureInfo.InvariantCulture)).Append(" %</td></tr>");
                }
            }

            page.Append("</tbody></table>\n");
        }

        page.Append("</section>\n");
    }

    private static void Pipelines(StringBuilder page, ExperimentResult result)
    {
        Section(page, "pipelines", "Pipelines", "The resolved graphs: every stage with the plugin version that served it and the full options of each component.");
        var notes = result.Rows.Select(ResultWriters.TuningNote).OfType<string>().ToList();
        if (notes.Count > 0)
        {
            page.Append("<h3 id=\"tuned\">Tuned on validation</h3><p class=\"note\">Each of these pipelines ran every point of its grid on the validation requests; "
                + "the row (and the graph below) is the point of best validation score, ties to the first in grid order.</p><ul class=\"tuned\">");
            foreach (var note in notes)
            {
                page.Append("<li>").Append(Html.Escape(note)).Append("</li>");
            }

            page.Append("</ul>\n");
        }

        foreach (var (name, description) in result.Graphs)
        {
            page.Append("<article class=\"pipeline\" data-pipeline=\"").Append(Html.Escape(name)).Append("\"><h3>").Append(Html.Escape(name)).Append("</h3>");
            page.Append("<div class=\"scroll\">").Append(PipelineDiagram.Render(PipelineGraph.Parse(name, description))).Append("</div>");
            page.Append("<details><summary>resolved graph</summary><pre>").Append(Html.Escape(description)).Append("</pre></details></article>\n");
        }

        page.Append("</section>\n");
    }

    private static void Dataset(StringBuilder page, ExperimentResult result)
    {
        Section(page, "dataset", "Dataset", "Every parameter of the dataset, defaults included.");
        Table(page, "dataset", ["parameter", "value"], result.Dataset.Select(kv => (IReadOnlyList<string>)[kv.Key, FormatValue(kv.Value)]));
        page.Append("</section>\n");
    }

    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => s,
        double d => Html.Number(d),
        float f => Html.Number(f),
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(FormatValue)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private const string Css = """
        :root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--accent:#4e79a7}
        *{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
        header{padding:20px 32px 12px;border-bottom:1px solid var(--line);background:var(--bg)}h1{margin:0 0 4px;font-size:24px}
        .lead{margin:0 0 8px;color:var(--muted)}nav a{margin-right:16px;color:var(--accent);text-decoration:none}
        main{padding:8px 32px 32px;max-width:1100px}section{margin-top:24px}h2{font-size:19px;border-bottom:1px solid var(--line);padding-bottom:4px}
        h3{font-size:15px;margin:16px 0 6px}.note{color:var(--muted);max-width:860px}
        figure{margin:12px 0 20px}figcaption{color:var(--muted);font-size:12px}
        svg.chart{max-width:100%;height:auto;font-size:12px}.scroll{overflow-x:auto}
        .grid{stroke:#e6e9ed}.zero{stroke:#8c959f}.tick,.category,.legend-label,.summary,.value{fill:#3d444d}.axis-label{fill:var(--muted)}
        .reference{stroke:#d62728;stroke-width:1.5;stroke-dasharray:6 4}.reference-label{fill:#d62728;font-weight:600}
        .missing,.empty{fill:var(--muted)}.series-line{stroke-width:2}.point{stroke:#fff;stroke-width:1}
        .error-bar,.error-cap{stroke:#1f2328;stroke-width:1.5}td.ns{color:#8c959f}.box{fill-opacity:.55;stroke:#444}.median{stroke:#111;stroke-width:2}.whisker{stroke-width:1.5}
        .stage{fill:#eef3f8;stroke:#4e79a7;rx:6}.terminal{fill:#fff;stroke:#8c959f;rx:14}.terminal-label{fill:var(--muted)}
        .edge{stroke:#666;stroke-width:1.5}.arrow{stroke-width:1.5}.stage-kind{font-weight:600;fill:#1f2328}
        .stage-component{fill:#1f2328;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}.stage-note,.stage-detail{fill:var(--muted);font-size:11px}
        table.failed td{text-align:left;color:#b31d28}table{border-collapse:collapse;margin:8px 0 16px;font-variant-numeric:tabular-nums}th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:right}
        th[scope=row],thead th:first-child,table.dataset td{text-align:left}thead th{background:var(--bg)}
        .shares td,.shares th{text-align:left}.share{display:inline-block;height:10px;background:var(--accent);vertical-align:middle}
        pre{background:var(--bg);padding:10px;overflow-x:auto;font-size:12px}footer{padding:16px 32px;color:var(--muted);border-top:1px solid var(--line)}
        """;
}
