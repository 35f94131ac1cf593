using System.Globalization;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Rerank.Serving;

/// <summary>
/// Reads <c>serve.yaml</c> from the pipelines folder (optional) and applies command-line overrides, collecting every
/// error with file:line:column.
/// </summary>
public static class ServeConfigReader
{
    /// <summary>The serving configuration's file name inside the pipelines folder.</summary>
    public const string FileName = "serve.yaml";

    /// <summary>The settings of <paramref name="pipelinesFolder"/>: its serve.yaml (when present) with <paramref name="overrides"/> applied; throws with every error.</summary>
    public static ServeSettings Read(string pipelinesFolder, ServeOverrides overrides)
    {
        var errors = new List<ConfigError>();
        var path = Path.Combine(pipelinesFolder, FileName);
        var settings = new ServeSettings { Schema = DefaultSchema.Serving };
        if (File.Exists(path))
        {
            settings = Parse(path, pipelinesFolder, errors, overrides.Paths ?? PathPolicy.Default) ?? settings;
        }

        if (overrides.SchemaPath is { } schemaPath && errors.Count == 0)
        {
            if (SchemaFile.Read(Path.GetFullPath(schemaPath), errors) is { } schema)
            {
                settings = settings with { Schema = schema, SchemaSource = PipelineParser.DisplayPath(schemaPath), SchemaFilePath = Path.GetFullPath(schemaPath) };
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var batching = settings.Batching with
        {
            MaxBatchSize = overrides.MaxBatchSize ?? settings.Batching.MaxBatchSize,
            MaxQueueDelayMicroseconds = overrides.MaxQueueDelayMicroseconds ?? settings.Batching.MaxQueueDelayMicroseconds,
        };
        var limits = overrides.DeadlineMilliseconds is { } ms ? settings.Limits with { Deadline = TimeSpan.FromMilliseconds(ms) } : settings.Limits;
        return settings with
        {
            Batching = batching,
            Limits = limits,
            Workers = overrides.Workers ?? settings.Workers,
            WorkersSet = settings.WorkersSet || overrides.Workers is not null,
        };
    }

    private static ServeSettings? Parse(string path, string folder, List<ConfigError> errors, PathPolicy paths)
    {
        var display = PipelineParser.DisplayPath(path);
        var root = YamlReader.Load(path, display, errors);
        if (root is null)
        {
            return null;
        }

        var y = new YamlReader(display, errors);
        y.CheckKeys(root, "serve.yaml", "schema", "batching", "limits", "workers", "seed", "admin_token");
        var settings = new ServeSettings { Schema = DefaultSchema.Serving };
        if (y.String(root, "schema", "serve.yaml") is { } schemaPath
            && paths.For(folder, "the pipelines folder").Resolve(y, y.Get(root, "schema")!, "schema", schemaPath) is { } full)
        {
            if (SchemaFile.Read(full, errors) is { } schema)
            {
                settings = settings with { Schema = schema, SchemaSource = PipelineParser.DisplayPath(full), SchemaFilePath = full };
            }
        }

        if (y.Mapping(y.Get(root, "batching"), "serve.yaml: batching") is { } batching)
        {
            y.CheckKeys(batching, "serve.yaml: batching", "max_batch_size", "max_queue_delay_us", "pipelines");
            settings = settings with { Batching = Batching(y, batching, "batching", BatchingSettings.Default) };
            var overrides = new Dictionary<string, BatchingSettings>(StringComparer.OrdinalIgnoreCase);
            if (y.Mapping(y.Get(batching, "pipelines"), "serve.yaml: batching.pipelines") is { } perPipeline)
            {
                foreach (var (key, value) in perPipeline.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "?";
                    if (y.Mapping(value, $"serve.yaml: batching.pipelines.{name}") is { } own)
                    {
                        y.CheckKeys(own, $"serve.yaml: batching.pipelines.{name}", "max_batch_size", "max_queue_delay_us");
                        overrides[name] = Batching(y, own, $"batching.pipelines.{name}", settings.Batching);
                    }
                }
            }

            settings = settings with { PipelineBatching = overrides };
        }

        if (y.Mapping(y.Get(root, "limits"), "serve.yaml: limits") is { } limits)
        {
            const string what = "serve.yaml: limits";
            y.CheckKeys(limits, what, "max_body_bytes", "max_candidates", "max_batch_requests", "deadline_ms");
            var d = LimitSettings.Default;
            settings = settings with
            {
                Limits = new LimitSettings(
                    y.Int(limits, "max_body_bytes", what, LimitSettings.MaxBodyBytesRange) ?? d.MaxBodyBytes,
                    y.Int(limits, "max_candidates", what, LimitSettings.MaxCandidatesRange) ?? d.MaxCandidates,
                    y.Int(limits, "max_batch_requests", what, LimitSettings.MaxBatchRequestsRange) ?? d.MaxBatchRequests,
                    y.Int(limits, "deadline_ms", what, LimitSettings.DeadlineRange) is { } ms ? TimeSpan.FromMilliseconds(ms) : d.Deadline),
            };
        }

        var workers = y.Int(root, "workers", "serve.yaml", ServeSettings.WorkersRange);
        return settings with
        {
            Workers = workers ?? settings.Workers,
            WorkersSet = workers is not null,
            Seed = y.Seed(root, "seed", "serve.yaml") ?? settings.Seed,
            AdminToken = y.String(root, "admin_token", "serve.yaml"),
        };
    }

    private static BatchingSettings Batching(YamlReader y, YamlMappingNode map, string what, BatchingSettings defaults) => new(
        y.Int(map, "max_batch_size", $"serve.yaml: {what}", BatchingSettings.MaxBatchSizeRange) ?? defaults.MaxBatchSize,
        y.Int(map, "max_queue_delay_us", $"serve.yaml: {what}", BatchingSettings.MaxQueueDelayRange) ?? defaults.MaxQueueDelayMicroseconds);

    /// <summary>One line describing the batching of a pipeline, for logs.</summary>
    public static string Describe(BatchingSettings b) =>
        string.Create(CultureInfo.InvariantCulture, $"max batch {b.MaxBatchSize}, max queue delay {b.MaxQueueDelayMicroseconds} µs");
}
