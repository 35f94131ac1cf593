using System.Globalization;
using System.Text;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Serving;
using Rerank.Simulation.Datasets;

namespace Rerank.Cli;

/// <summary>
/// <c>docs/params.md</c>: a markdown table of key, type, default and range per component of the loaded plugins, and (for
/// the whole document) the host's own settings: dataset params, <c>evaluation:</c>, stage sizes, serve.yaml and schema files.
/// </summary>
internal static class ParamsDocument
{
    /// <summary>The committed document, relative to the repository root.</summary>
    public const string RelativePath = "docs/params.md";

    /// <summary>The command that regenerates it, run from the repository root.</summary>
    public const string Regenerate = "dotnet run --project host/Rerank.Cli -c Release -- plugins params --out docs/params.md";

    /// <summary>The document for <paramref name="plugins"/>; <paramref name="hostSettings"/> adds the host's settings.</summary>
    public static string Markdown(IEnumerable<LoadedPlugin> plugins, bool hostSettings)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        var md = new StringBuilder();
        md.Append("# Params\n\n");
        if (hostSettings)
        {
            md.Append("Every `params:` key of every shipped component, and every number the host reads itself, with its type, default\nand range. ")
              .Append("Generated from the options types by `rerank plugins params`; do not edit by hand, regenerate from the\nrepository root with\n\n")
              .Append("```\n").Append(Regenerate).Append("\n```\n\n")
              .Append("A test fails when this file differs from what the generator writes.\n\n");
        }
        else
        {
            md.Append("Every `params:` key of these components with its type, default and range.\n\n");
        }

        md.Append("A number outside its range is an error at the value's file:line:column, e.g.\n")
          .Append("`params.width: must be in [1, 1024], got 2147483647`. `[a, b]` includes both ends, a parenthesis excludes one;\n")
          .Append("`each` applies the range to every element of a list; NaN and infinities are never accepted.\n");
        foreach (var plugin in plugins)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {plugin.Id} {plugin.Version?.ToNormalizedString() ?? "?"}\n");
            if (plugin.Status != PluginLoadStatus.Loaded)
            {
                md.Append(CultureInfo.InvariantCulture, $"\nFailed to load: {plugin.Error}\n");
                continue;
            }

            foreach (var component in plugin.Components)
            {
                Section(md, $"{component.Kind.Word()} `{component.Name}`", component.Description, ParamTable.Rows(component.OptionsType));
            }
        }

        if (hostSettings)
        {
            md.Append("\n## Host settings\n");
            foreach (var type in DatasetTypes.All)
            {
                Section(md, $"`dataset: {{type: {type.Type}, params: …}}`", type.Description, ParamTable.Rows(type.OptionsType));
            }

            Section(md, "`evaluation:`", "How an experiment evaluates its pipelines.", ParamTable.Rows(typeof(EvaluationOptions)));
            Section(md, "Pipeline stages", "The sizes of a pipeline's stages.", StageRows());
            Section(md, "`serve.yaml`, `--max-batch-size`, `--max-queue-delay-us`, `--deadline-ms`, `--workers`", "The server's batching, limits and workers (the options override serve.yaml).", ServeRows());
            Section(md, "Schema files (`schema:` of serve.yaml, `--schema`)", "The feature schema requests follow.", SchemaRows());
            Section(md, "`splits.yaml`", "Traffic splits between pipelines.", [new("splits[].arms[].weight", "number", "required", $"(0, {SplitParser.MaxWeight}]")]);
        }

        return md.ToString();
    }

    private static void Section(StringBuilder md, string title, string description, IReadOnlyList<ParamRow> rows)
    {
        md.Append(CultureInfo.InvariantCulture, $"\n### {title}\n\n{Escape(description)}\n\n");
        if (rows.Count == 0)
        {
            md.Append("No params.\n");
            return;
        }

        md.Append("| key | type | default | range |\n| --- | --- | --- | --- |\n");
        foreach (var row in rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| `{row.Key}` | {Escape(row.Type)} | {Code(row.Default)} | {Escape(row.Range)} |\n");
        }
    }

    private static List<ParamRow> StageRows() =>
    [
        new("generate.count", "int", "1", PipelineParser.CountRange.ToString()),
        new("diversify.size", "int", ParamTable.Unset, PipelineParser.SizeRange.ToString()),
        new("truncate.size", "int", ParamTable.Unset, PipelineParser.SizeRange.ToString()),
    ];

    private static List<ParamRow> ServeRows()
    {
        var b = BatchingSettings.Default;
        var l = LimitSettings.Default;
        return
        [
            new("batching.max_batch_size", "int", Int(b.MaxBatchSize), BatchingSettings.MaxBatchSizeRange.ToString()),
            new("batching.max_queue_delay_us", "int", Int(b.MaxQueueDelayMicroseconds), BatchingSettings.MaxQueueDelayRange.ToString()),
            new("limits.max_body_bytes", "int", Int(l.MaxBodyBytes), LimitSettings.MaxBodyBytesRange.ToString()),
            new("limits.max_candidates", "int", Int(l.MaxCandidates), LimitSettings.MaxCandidatesRange.ToString()),
            new("limits.max_batch_requests", "int", Int(l.MaxBatchRequests), LimitSettings.MaxBatchRequestsRange.ToString()),
            new("limits.deadline_ms", "int", Int((long)l.Deadline.TotalMilliseconds), LimitSettings.DeadlineRange.ToString()),
            new("workers", "int", "the core count", ServeSettings.WorkersRange.ToString()),
        ];
    }

    private static List<ParamRow> SchemaRows() =>
    [
        new("fields[].size", "int", "required", SchemaFile.FieldSizeRange.ToString()),
        new("embedding", "int", "0", SchemaFile.EmbeddingRange.ToString()),
    ];

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A default as code, except the words that describe one (<c>unset</c>, <c>required</c>, …).</summary>
    private static string Code(string value) =>
        value is ParamTable.Unset or ParamTable.Nested or "required" or "the core count" ? value : "`" + value.Replace("`", "'", StringComparison.Ordinal) + "`";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
