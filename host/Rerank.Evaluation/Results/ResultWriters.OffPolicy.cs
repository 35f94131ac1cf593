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
    /// intervals hold their truth, ESS and clipped weights (the last two as the wide table's cells summarise them); the
    /// three truth columns only when some estimate has a truth beside it (not on real logs).
    /// </summary>
    public static string OffPolicyCheckTable(IEnumerable<(string Pipeline, IReadOnlyList<OffPolicyCell> Cells)> rows, OffPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(settings);
        var list = rows.ToList();
        var truth = list.Any(r => r.Cells.Any(c => c.Truth is not null));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"| pipeline | estimator | estimate | {settings.Level * 100:0.#}% interval | {(truth ? "truth | estimate − truth | interval holds truth | " : "")}ESS | clipped |\n");
        sb.Append(truth ? "|---|---|---:|---:|---:|---:|---:|---:|---:|\n" : "|---|---|---:|---:|---:|---:|\n");
        foreach (var (pipeline, cells) in list)
        {
            foreach (var cell in cells)
            {
                var estimate = cell.Std is { } s ? $"{FormatMetric(cell.Value)} ± {FormatMetric(s)}" : FormatMetric(cell.Value);
                var covered = cell.Covered is { } c ? $"{c}/{cell.Runs.Count}" : "–";
                var against = truth ? $"{FormatTruth([cell])} | {(cell.Bias is { } b ? Signed(b) : "–")} | {covered} | " : "";
                sb.Append(CultureInfo.InvariantCulture, $"| {pipeline} | {cell.Estimator} | {estimate} | [{FormatMetric(cell.Low)}, {FormatMetric(cell.High)}] | {against}{FormatEss(cell.EffectiveSampleSize, settings)} | {cell.Clipped} |\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The summary per estimator over every pipeline and seed (with truth only): how many intervals hold their truth, the
    /// mean, mean absolute, root mean square and largest estimate − truth (per seed), and the smallest effective sample
    /// size; empty without truth.
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
        sb.Append(CultureInfo.InvariantCulture, $"| estimator | {settings.Level * 100:0.#}% intervals holding the truth | mean estimate − truth | mean \\|estimate − truth\\| | RMSE | largest \\|estimate − truth\\| | smallest ESS |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var estimator in cells.Select(c => c.Estimator).Distinct())
        {
            var check = OffPolicyCheck.Of(cells.Where(c => c.Estimator == estimator));
            sb.Append(CultureInfo.InvariantCulture, $"| {estimator} | {check.Held}/{check.Runs} | {Signed(check.Bias)} | {FormatMetric(check.MeanAbsoluteError)} | {FormatMetric(check.Rmse)} | {FormatMetric(check.LargestError)} | {FormatEss(check.SmallestEss, settings)} |\n");
        }

        return sb.ToString();
    }

    /// <summary>The statistics <see cref="OffPolicySweepTable"/> can show, by the name a doc marker gives them.</summary>
    public static IReadOnlyList<string> OffPolicySweepStatistics { get; } = ["rmse", "bias", "coverage", "ess"];

    /// <summary>
    /// One statistic of several off-policy checks side by side: a row per run (labelled by the settings that differ
    /// between the runs, one column each), a column per estimator; each cell summarises that estimator over every pipeline
    /// and seed of the run against the truth, as <see cref="OffPolicySummaryTable"/> does: <c>rmse</c> the root mean
    /// square of estimate − truth, <c>bias</c> its mean, <c>coverage</c> how many intervals held the truth, <c>ess</c>
    /// the smallest effective sample size (with <see cref="TooFewMarker"/> below that run's <c>min_ess</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="statistic"/> is not one of <see cref="OffPolicySweepStatistics"/>.</exception>
    public static string OffPolicySweepTable(IReadOnlyList<OffPolicySweepRun> runs, IReadOnlyList<string> settingNames, string statistic)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(settingNames);
        if (!OffPolicySweepStatistics.Contains(statistic, StringComparer.Ordinal))
        {
            throw new ArgumentException($"unknown off-policy statistic '{statistic}'; one of {string.Join(", ", OffPolicySweepStatistics)}", nameof(statistic));
        }

        var estimators = runs.SelectMany(r => r.Cells).Where(c => c.Truth is not null).Select(c => c.Estimator).Distinct().ToList();
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", settingNames.Concat(estimators)).Append(" |\n");
        sb.Append('|').Append(string.Concat(settingNames.Select(_ => "---:|"))).Append(string.Concat(estimators.Select(_ => "---:|"))).Append('\n');
        foreach (var run in runs)
        {
            sb.Append("| ").AppendJoin(" | ", run.Values).Append(" | ");
            sb.AppendJoin(" | ", estimators.Select(e => SweepCell(run, e, statistic))).Append(" |\n");
        }

        return sb.ToString();
    }

    private static string SweepCell(OffPolicySweepRun run, string estimator, string statistic)
    {
        var cells = run.Cells.Where(c => c.Estimator == estimator && c.Truth is not null).ToList();
        if (cells.Count == 0)
        {
            return "–";
        }

        var check = OffPolicyCheck.Of(cells);
        return statistic switch
        {
            "rmse" => FormatMetric(check.Rmse),
            "bias" => Signed(check.Bias),
            "coverage" => $"{check.Held}/{check.Runs}",
            _ => FormatEss(check.SmallestEss, run.Settings),
        };
    }

    private static string FormatEss(double ess, OffPolicySettings settings) =>
        ess.ToString("F0", CultureInfo.InvariantCulture) + (ess < settings.MinEss ? " " + TooFewMarker : "");

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

/// <summary>One off-policy check of a sweep: the values of the settings that vary between the runs, its options and its estimates.</summary>
/// <param name="Values">The run's value of each varying setting, formatted, in the table's column order.</param>
/// <param name="Settings">The run's off-policy options (for <c>min_ess</c>).</param>
/// <param name="Cells">Every pipeline's estimates in the run.</param>
public sealed record OffPolicySweepRun(IReadOnlyList<string> Values, OffPolicySettings Settings, IReadOnlyList<OffPolicyCell> Cells);

/// <summary>An estimator's estimates against the truth, over every pipeline and seed given (cells with truth only).</summary>
internal readonly record struct OffPolicyCheck(int Runs, int Held, double Bias, double MeanAbsoluteError, double Rmse, double LargestError, double SmallestEss)
{
    public static OffPolicyCheck Of(IEnumerable<OffPolicyCell> cells)
    {
        var runs = cells.SelectMany(c => c.Runs).Where(r => r.Truth is not null).ToList();
        var errors = runs.Select(r => r.Estimate.Value - r.Truth!.Value).ToList();
        return new OffPolicyCheck(
            runs.Count,
            runs.Count(r => r.Estimate.Low <= r.Truth && r.Truth <= r.Estimate.High),
            errors.Average(),
            errors.Average(Math.Abs),
            Math.Sqrt(errors.Average(e => e * e)),
            errors.Max(Math.Abs),
            runs.Min(r => r.Estimate.EffectiveSampleSize));
    }
}
