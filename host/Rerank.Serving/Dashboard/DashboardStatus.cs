using System.Text.Json;
using Rerank.Runtime.Plugins;

namespace Rerank.Serving.Dashboard;

/// <summary>
/// <c>GET /dashboard/status</c>: what the dashboard shows without the admin token — plugins with versions and load
/// errors, pipelines as stage graphs, pipelines that are not ready and why, traffic splits with their weights, the last
/// reload. No folders (paths outside the pipelines folder show only their file name, see <see cref="PublicText"/>), no token.
/// </summary>
internal static class DashboardStatus
{
    public static void Write(Utf8JsonWriter w, ServingRuntime runtime, bool adminEnabled)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(runtime);
        var graph = runtime.Current;
        w.WriteStartObject();
        w.WriteNumber("generation", graph?.Generation ?? 0);
        if (graph is null)
        {
            w.WriteNull("loaded_at");
        }
        else
        {
            w.WriteString("loaded_at", graph.LoadedAt);
        }

        w.WriteBoolean("admin", adminEnabled);
        w.WriteString("schema", graph?.Settings.SchemaSource ?? "");
        w.WriteStartArray("plugins");
        foreach (var plugin in graph?.Plugins ?? [])
        {
            Plugin(w, plugin, runtime.PipelinesFolder);
        }

        w.WriteEndArray();
        w.WriteStartArray("pipelines");
        foreach (var pipeline in graph?.Pipelines.Values.OrderBy(p => p.Name, StringComparer.Ordinal) ?? Enumerable.Empty<ServingPipeline>())
        {
            Pipeline(w, pipeline);
        }

        w.WriteEndArray();
        w.WriteStartArray("splits");
        foreach (var split in graph?.Splits.Values.OrderBy(s => s.Name, StringComparer.Ordinal) ?? Enumerable.Empty<TrafficSplit>())
        {
            w.WriteStartObject();
            w.WriteString("name", split.Name);
            w.WriteNumber("total_weight", split.TotalWeight);
            w.WriteStartArray("arms");
            foreach (var arm in split.Arms)
            {
                w.WriteStartObject();
                w.WriteString("name", arm.Name);
                w.WriteString("pipeline", arm.Pipeline);
                w.WriteNumber("weight", arm.Weight);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("not_ready");
        foreach (var n in graph?.NotReady ?? [])
        {
            w.WriteStartObject();
            w.WriteString("name", n.Name);
            w.WriteString("file", n.File);
            w.WriteString("error", PublicText.Redact(n.Error, runtime.PipelinesFolder));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        var history = runtime.History;
        if (history.Count == 0)
        {
            w.WriteNull("last_reload");
        }
        else
        {
            var last = history[^1];
            w.WriteStartObject("last_reload");
            w.WriteString("at", last.At);
            w.WriteString("trigger", last.Trigger);
            w.WriteBoolean("ok", last.Ok);
            w.WriteNumber("generation", last.Generation);
            w.WriteString("error", PublicText.Redact(last.Error, runtime.PipelinesFolder));
            w.WriteNumber("ms", Math.Round(last.Ms, 1));
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Plugin(Utf8JsonWriter w, LoadedPlugin plugin, string pipelinesFolder)
    {
        w.WriteStartObject();
        w.WriteString("id", plugin.Id);
        w.WriteString("version", plugin.Version?.ToNormalizedString());
        w.WriteString("status", plugin.Status.ToString().ToLowerInvariant());
        w.WriteString("error", PublicText.Redact(plugin.Error, pipelinesFolder));
        w.WriteStartArray("components");
        foreach (var c in plugin.Components)
        {
            w.WriteStringValue($"{c.Kind.ToString().ToLowerInvariant()}/{c.Name}");
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Pipeline(Utf8JsonWriter w, ServingPipeline pipeline)
    {
        w.WriteStartObject();
        w.WriteString("name", pipeline.Name);
        w.WriteString("description", pipeline.Pipeline.Spec.Description);
        w.WriteStartArray("plugins");
        foreach (var p in pipeline.Plugins)
        {
            w.WriteStringValue(p);
        }

        w.WriteEndArray();
        w.WriteNumber("max_batch_size", pipeline.Batcher.Settings.MaxBatchSize);
        w.WriteStartArray("stages");
        foreach (var stage in pipeline.Pipeline.Stages)
        {
            w.WriteStartObject();
            w.WriteString("kind", stage.Kind);
            w.WriteString("text", stage.Describe());
            w.WriteStartArray("components");
            foreach (var (role, component) in stage.Components)
            {
                w.WriteStartObject();
                w.WriteString("role", role);
                w.WriteString("reference", component.Registration.Reference);
                w.WriteString("params", component.ParamsYaml.TrimEnd('\n'));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
