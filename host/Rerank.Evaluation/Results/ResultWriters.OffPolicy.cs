using System.Globalization;
using System.Text;

namespace Rerank.Evaluation.Results;

/// <summary>The off-policy tables of results.md and the console: estimates with intervals, truth, flags and notes.</summary>
public static partial class ResultWriters
{
    /// <summary>The marker after an estimate whose effective sample size is below <c>min_ess</c>.</summary>
    public const string TooFewMarker = "†";

    /// <summary>The estimators of <paramref name="result"/>'s rows, in first-seen order.</summary>
    public static IReadOnlyList<string> OffPolicyEstimators(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Rows.SelectMany(r => r.OffPolicy ?? []).Select(c => c.Estimator).Distinct()];
    }

    /// <summary>Whether some row's estimates carry the exact value (the simulator).</summary>
    public static bool OffPolicyHasTruth(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Rows.Any(r => r.OffPolicy?.Any(c => c.Truth is not null) == true);
    }

    /// <summary>
    /// An estimate as the wide table shows it: <c>0.8123 [0.7900, 0.8300]</c> (with <c> ± std</c> over seeds), then
    /// <see cref="TooFewMarker"/> when its effective sample size is below <paramref name="minEss"/>.
    /// </summary>
    public static string FormatEstimate(OffPolicyCell cell, double minEss)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var std = cell.Std is { } s ? $" ± {FormatMetric(s)}" : "";
        return $"{FormatMetric(cell.Value)}{std} [{FormatMetric(cell.Low)}, {FormatMetric(cell.High)}]{(cell.TooFewSamples(minEss) ? " " + TooFewMarker : "")}";
    }

    /// <summary>A row's exact value (mean over seeds, <c>± std</c> with several), from any of its cells; an en dash when unknown.</summary>
    public static string FormatTruth(IReadOnlyList<OffPolicyCell>? cells)
    {
        if (cells is not { Count: > 0 } || cells[0].Truth is not { } truth)
        {
            return "–";
        }

        var runs = cells[0].Runs;
        return runs.Count > 1 ? $"{FormatMetric(truth)} ± {FormatMetric(Experiments.SeedAggregate.SampleStd([.. runs.Select(r => r.Truth!.Value)]))}" : FormatMetric(truth);
    }

    /// <summary>The footnote of the wide table: what the level, the marker and the truth column mean.</summary>
    public static string OffPolicyFootnote(OffPolicySettings settings, bool truth)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return $"Estimated {settings.Reward} per list, {settings.Level * 100:0.#}% percentile bootstrap interval over the logged test requests "
            + $"({settings.BootstrapSamples} resamples; weights clipped at {FormatClip(settings.Clip)}). "
            + $"{TooFewMarker}: effective sample size below {settings.MinEss.ToString(CultureInfo.InvariantCulture)}, too few effective samples."
            + (truth ? " truth: the exact expected value of the pipeline's slates under the simulator's list model." : "");
    }

    /// <summary>One warning per estimator under which some pipeline's effective sample size is below <c>min_ess</c>.</summary>
    public static IReadOnlyList<string> OffPolicyWarnings(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.OffPolicy is not { } settings)
        {
            return [];
        }

        var warnings = new List<string>();
        foreach (var estimator in OffPolicyEstimators(result))
        {
            var low = result.Rows.Where(r => r.OffPolicy?.FirstOrDefault(c => c.Estimator == estimator)?.TooFewSamples(settings.MinEss) == true).Select(r => r.Pipeline).ToList();
            if (low.Count > 0)
            {
                warnings.Add($"{estimator}: effective sample size below {settings.MinEss.ToString(CultureInfo.InvariantCulture)} for {string.Join(", ", low)}: too few effective samples to rank the pipelines by {estimator}");
            }
        }

        return warnings;
    }

    /// <summary>
    /// The check table, one line per pipeline and estimator: estimate, interval, truth, estimate − truth, how many seeds'
    /// intervals hold their truth, ESS and clipped weights (the last two as the wide table's cells summarise them).
    /// </summary>
    public static string OffPolicyCheckTable(IEnumerable<(string Pipeline, IReadOnlyList<OffPolicyCell> Cells)> rows, OffPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(settings);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"| pipeline | estimator | estimate | {settings.Level * 100:0.#}% interval | truth | estimate − truth | interval holds truth | ESS | clipped |\n");
        sb.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var (pipeline, cells) in rows)
        {
            foreach (var cell in cells)
            {
                var estimate = cell.Std is { } s ? $"{FormatMetric(cell.Value)} ± {FormatMetric(s)}" : FormatMetric(cell.Value);
                var covered = cell.Covered is { } c ? $"{c}/{cell.Runs.Count}" : "–";
                var ess = cell.EffectiveSampleSize.ToString("F0", CultureInfo.InvariantCulture) + (cell.TooFewSamples(settings.MinEss) ? " " + TooFewMarker : "");
                sb.Append(CultureInfo.InvariantCulture, $"| {pipeline} | {cell.Estimator} | {estimate} | [{FormatMetric(cell.Low)}, {FormatMetric(cell.High)}] | {FormatTruth([cell])} | {(cell.Bias is { } b ? Signed(b) : "–")} | {covered} | {ess} | {cell.Clipped} |\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The summary per estimator over every pipeline and seed (with truth only): how many intervals hold their truth, the
    /// mean and the largest |estimate − truth| (per seed), and the smallest effective sample size; empty without truth.
    /// </summary>
    public static string OffPolicySummaryTable(IEnumerable<(string Pipeline, IReadOnlyList<OffPolicyCell> Cells)> rows, OffPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(settings);
        var cells = rows.SelectMany(r => r.Cells).Where(c => c.Truth is not null).ToList();
        if (cells.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"| estimator | {settings.Level * 100:0.#}% intervals holding the truth | mean estimate − truth | mean \\|estimate − truth\\| | largest \\|estimate − truth\\| | smallest ESS |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|\n");
        foreach (var estimator in cells.Select(c => c.Estimator).Distinct())
        {
            var runs = cells.Where(c => c.Estimator == estimator).SelectMany(c => c.Runs).ToList();
            var errors = runs.Select(r => r.Estimate.Value - r.Truth!.Value).ToList();
            var held = runs.Count(r => r.Estimate.Low <= r.Truth && r.Truth <= r.Estimate.High);
            var ess = runs.Min(r => r.Estimate.EffectiveSampleSize);
            sb.Append(CultureInfo.InvariantCulture, $"| {estimator} | {held}/{runs.Count} | {Signed(errors.Average())} | {FormatMetric(errors.Average(Math.Abs))} | {FormatMetric(errors.Max(Math.Abs))} | {ess.ToString("F0", CultureInfo.InvariantCulture)}{(ess < settings.MinEss ? " " + TooFewMarker : "")} |\n");
        }

        return sb.ToString();
    }

    /// <summary>The off-policy section of results.md: the wide table, its footnote, warnings, notes and the check table.</summary>
    internal static string OffPolicyMarkdown(ExperimentResult result)
    {
        if (result.OffPolicy is not { } settings)
        {
            return "";
        }

        var estimators = OffPolicyEstimators(result);
        var truth = OffPolicyHasTruth(result);
        var rows = result.Rows.Where(r => r.OffPolicy is not null).ToList();
        var sb = new StringBuilder("\n## Off-policy estimates\n\n");
        sb.Append(OffPolicyFootnote(settings, truth)).Append("\n\n");
        sb.Append("| pipeline | ").Append(truth ? "truth | " : "").Append(string.Join(" | ", estimators)).Append(" |\n");
        sb.Append("|---|").Append(truth ? "---:|" : "").Append(string.Concat(estimators.Select(_ => "---:|"))).Append('\n');
        foreach (var row in rows)
        {
            sb.Append("| ").Append(row.Pipeline).Append(" | ").Append(truth ? FormatTruth(row.OffPolicy) + " | " : "")
              .Append(string.Join(" | ", estimators.Select(e => row.OffPolicy!.FirstOrDefault(c => c.Estimator == e) is { } cell ? FormatEstimate(cell, settings.MinEss) : "–"))).Append(" |\n");
        }

        var lines = OffPolicyWarnings(result).Select(w => "Warning: " + w).Concat(settings.Notes).ToList();
        if (lines.Count > 0)
        {
            sb.Append('\n');
            foreach (var line in lines)
            {
                sb.Append("- ").Append(line).Append('\n');
            }
        }

        sb.Append("\n### Estimates in detail\n\n").Append(OffPolicyCheckTable(rows.Select(r => (r.Pipeline, r.OffPolicy!)), settings));
        if (truth)
        {
            sb.Append("\n### Against the truth, per estimator (every pipeline and seed)\n\n").Append(OffPolicySummaryTable(rows.Select(r => (r.Pipeline, r.OffPolicy!)), settings));
        }

        return sb.ToString();
    }

    private static string FormatClip(double clip) =>
        double.IsPositiveInfinity(clip) ? "∞" : clip.ToString("0.######", CultureInfo.InvariantCulture);
}
