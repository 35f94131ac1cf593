using System.Text;

namespace Rerank.Evaluation.Results;

/// <summary>The results.csv writer.</summary>
public static partial class ResultWriters
{
    /// <summary>
    /// One line per row: <c>pipeline</c>, every metric, then <c>status</c> and <c>error</c> (last, so that columns read by
    /// position keep theirs). With several seeds a <c>METRIC_std</c> column per metric follows the metrics; with
    /// <c>compare_to</c> naming one pipeline, <c>METRIC_diff,METRIC_diff_low,METRIC_diff_high</c> per compared metric;
    /// with several, <c>METRIC_diff[REF],METRIC_diff_low[REF],METRIC_diff_high[REF]</c> per reference and metric.
    /// </summary>
    public static string Csv(ExperimentResult result)
    {
        List<string> metrics = [.. result.Rows.SelectMany(r => r.Metrics.Select(m => m.Key)).Distinct()]; // every metric, measured or not: a stable schema
        var std = result.Rows.Any(r => r.Std is not null) ? metrics : [];
        var references = result.Comparison?.References ?? [];
        var several = result.Comparison?.Several == true;
        var differences = references.SelectMany(r => DifferenceNames(result, r).Select(m => (Reference: r, Metric: m))).ToList();
        List<string> columns = [.. metrics, .. std.Select(m => m + "_std"), .. differences.SelectMany(d => DifferenceColumns(d.Metric, several ? $"[{d.Reference}]" : ""))];
        var sb = new StringBuilder();
        sb.Append("pipeline,").Append(string.Join(',', columns)).Append(columns.Count > 0 ? "," : "").Append("status,error\n");
        foreach (var row in result.Rows)
        {
            sb.Append(CsvField(row.Pipeline));
            foreach (var m in metrics)
            {
                sb.Append(',').Append(CsvNumber(row[m]));
            }

            foreach (var m in std)
            {
                sb.Append(',').Append(CsvNumber(row.StdOf(m)));
            }

            foreach (var (reference, m) in differences)
            {
                var d = row.DifferenceOf(reference, m)?.Interval;
                sb.Append(',').Append(CsvNumber(d?.Mean)).Append(',').Append(CsvNumber(d?.Low)).Append(',').Append(CsvNumber(d?.High));
            }

            sb.Append(',').Append(row.Status).Append(',').Append(row.Error is null ? "" : CsvField(row.Error)).Append('\n');
        }

        return sb.ToString();
    }
}
