using System.Globalization;
using System.Text;
using System.Text.Json;
using Rerank.Runtime.IO;

namespace Rerank.Evaluation.Results;

/// <summary>The human-readable writers: results.md and the per-row details.</summary>
public static partial class ResultWriters
{
    internal static string Markdown(ExperimentResult result)
    {
        var metrics = MetricNames(result);
        var sb = new StringBuilder();
        sb.Append("# ").Append(result.Experiment).Append("\n\n");
        sb.Append("Dataset: ").Append(string.Join(", ", result.Dataset.Select(kv => $"{kv.Key}={Format(kv.Value)}"))).Append("\n\n");
        if (result.MultiSeed)
        {
            sb.Append("Mean ± sample standard deviation over ").Append(result.Seeds!.Count).Append(" seeds.\n\n");
        }

        var failed = result.FailedRows;
        var status = failed.Count > 0; // the status column only when something failed: tables of clean runs stay as they were
        sb.Append("| pipeline | ").Append(string.Join(" | ", metrics)).Append(status ? " | status" : "").Append(" |\n");
        sb.Append("|---|").Append(string.Concat(metrics.Select(_ => "---:|"))).Append(status ? "---|" : "").Append('\n');
        foreach (var row in result.Rows)
        {
            sb.Append("| ").Append(row.Pipeline).Append(" | ")
              .Append(string.Join(" | ", metrics.Select(m => FormatCell(row, m)))).Append(status ? " | " + row.Status : "").Append(" |\n");
        }

        var notes = result.Rows.Select(TuningNote).OfType<string>().ToList();
        if (notes.Count > 0)
        {
            sb.Append('\n');
            foreach (var note in notes)
            {
                sb.Append("- ").Append(note).Append('\n');
            }
        }

        foreach (var reference in result.Comparison?.References ?? [])
        {
            var differences = DifferenceNames(result, reference);
            sb.Append("\n## Difference to ").Append(reference).Append("\n\n").Append(DifferenceNote(result.Comparison!, reference)).Append("\n\n");
            sb.Append("| pipeline | ").Append(string.Join(" | ", differences)).Append(" |\n");
            sb.Append("|---|").Append(string.Concat(differences.Select(_ => "---:|"))).Append('\n');
            foreach (var row in DifferenceRows(result, reference))
            {
                sb.Append("| ").Append(row.Pipeline).Append(" | ")
                  .Append(string.Join(" | ", differences.Select(m => row.DifferenceOf(reference, m) is { } d ? FormatDifference(d) : "–"))).Append(" |\n");
            }
        }

        sb.Append(OffPolicyMarkdown(result));
        if (status)
        {
            sb.Append("\n## Failed\n\n");
            foreach (var row in failed)
            {
                sb.Append("- **").Append(row.Pipeline).Append("**: ").Append(row.Error).Append('\n');
            }
        }

        if (result.Graphs.Count > 0)
        {
            sb.Append("\n## Pipelines\n\n```\n");
            foreach (var graph in result.Graphs.Values)
            {
                sb.Append(graph);
            }

            sb.Append("```\n");
        }

        return sb.ToString();
    }

    /// <summary>Details for reports: graphs, latencies, stage shares, training curves.</summary>
    public static string Details(ExperimentResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Indented))
        {
            w.WriteStartObject();
            w.WriteString("experiment", result.Experiment);
            w.WriteStartObject("graphs");
            foreach (var (name, graph) in result.Graphs)
            {
                w.WriteString(name, graph);
            }

            w.WriteEndObject();
            w.WriteStartObject("latency_ms");
            foreach (var (name, values) in result.Latencies)
            {
                w.WriteStartArray(name);
                foreach (var v in values)
                {
                    w.WriteNumberValue(Math.Round(v, 4));
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteStartObject("stage_share");
            foreach (var (name, shares) in result.StageShares)
            {
                w.WriteStartObject(name);
                foreach (var (stage, share) in shares)
                {
                    w.WriteNumber(stage, Math.Round(share, 4));
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartArray("training");
            foreach (var curve in result.Training)
            {
                w.WriteStartObject();
                w.WriteString("component", curve.Component);
                w.WriteNumber("seconds", Math.Round(curve.Seconds, 3));
                w.WriteStartArray("epochs");
                foreach (var (epoch, train, validation) in curve.Epochs)
                {
                    w.WriteStartObject();
                    w.WriteNumber("epoch", epoch);
                    w.WriteNumber("train", train);
                    if (validation is { } v)
                    {
                        w.WriteNumber("validation", v);
                    }
                    else
                    {
                        w.WriteNull("validation");
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
