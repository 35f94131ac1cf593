using System.Text;
using Rerank.Evaluation.Results;

namespace Rerank.Evaluation.Reports;

/// <summary>The off-policy section of <c>report.html</c>.</summary>
public static partial class ReportPage
{
    /// <summary>
    /// With <c>evaluation.off_policy</c>: each pipeline's estimates as bars with their intervals as error bars (muted when the
    /// effective sample size is below <c>min_ess</c>), the exact value as a bar of its own on the simulator, then the
    /// warnings, the notes on skipped estimators and the check table.
    /// </summary>
    private static void OffPolicySection(StringBuilder page, ExperimentResult result)
    {
        if (result.OffPolicy is not { } settings)
        {
            return;
        }

        var truth = ResultWriters.OffPolicyHasTruth(result);
        Section(page, "off-policy", "Off-policy estimates", ResultWriters.OffPolicyFootnote(settings, truth));
        var rows = result.Rows.Where(r => r.OffPolicy is not null).ToList();
        var series = new List<BarSeries>();
        if (truth)
        {
            series.Add(new BarSeries("truth", [.. rows.Select(r => r.OffPolicy!.FirstOrDefault()?.Truth)]));
        }

        foreach (var estimator in ResultWriters.OffPolicyEstimators(result))
        {
            var cells = rows.Select(r => r.OffPolicy!.FirstOrDefault(c => c.Estimator == estimator)).ToList();
            series.Add(new BarSeries(
                estimator,
                [.. cells.Select(c => c?.Value)],
                [.. cells.Select(c => c is null ? ((double, double)?)null : (c.Low, c.High))],
                [.. cells.Select(c => c?.TooFewSamples(settings.MinEss) == true)]));
        }

        Figure(page, BarChart.Render("off-policy", $"Estimated {settings.Reward} per list", [.. rows.Select(r => r.Pipeline)], series, [], settings.Reward + " per list"),
            $"Each estimator's estimate per pipeline; error bars: the {settings.Level * 100:0.#}% bootstrap interval; muted bars: effective sample size below {settings.MinEss}."
            + (truth ? " The first bar of each group is the exact value under the simulator's list model." : ""));
        var lines = ResultWriters.OffPolicyWarnings(result).Select(w => "Warning: " + w).Concat(settings.Notes).ToList();
        if (lines.Count > 0)
        {
            page.Append("<ul class=\"note\">");
            foreach (var line in lines)
            {
                page.Append("<li>").Append(Html.Escape(line)).Append("</li>");
            }

            page.Append("</ul>");
        }

        Table(page, "off-policy", ["pipeline", "estimator", "estimate", "interval", "truth", "estimate − truth", "interval holds truth", "ESS", "clipped"], rows.SelectMany(r => r.OffPolicy!.Select(c => (IReadOnlyList<string>)
        [
            r.Pipeline,
            c.Estimator,
            c.Std is { } s ? $"{ResultWriters.FormatMetric(c.Value)} ± {ResultWriters.FormatMetric(s)}" : ResultWriters.FormatMetric(c.Value),
            $"[{ResultWriters.FormatMetric(c.Low)}, {ResultWriters.FormatMetric(c.High)}]",
            ResultWriters.FormatTruth([c]),
            c.Bias is { } b ? ResultWriters.Signed(b) : "–",
            c.Covered is { } k ? $"{k}/{c.Runs.Count}" : "–",
            c.EffectiveSampleSize.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + (c.TooFewSamples(settings.MinEss) ? " " + ResultWriters.TooFewMarker : ""),
            c.Clipped.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ])));
        page.Append("</section>\n");
    }
}
