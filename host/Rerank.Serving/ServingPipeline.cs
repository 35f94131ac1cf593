using Rerank.Runtime.Pipelines;

namespace Rerank.Serving;

/// <summary>A compiled pipeline as served: its batcher, and the plugins and stages responses and status pages name.</summary>
internal sealed class ServingPipeline
{
    public ServingPipeline(CompiledPipeline pipeline, DynamicBatcher batcher)
    {
        Pipeline = pipeline;
        Batcher = batcher;
        Plugins = [.. pipeline.Components.Select(c => $"{c.Registration.PluginId}@{c.Registration.PluginVersion.ToNormalizedString()}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Stages = [.. pipeline.Stages.Select(s => s.Kind)];
    }

    public string Name => Pipeline.Name;

    public CompiledPipeline Pipeline { get; }

    public DynamicBatcher Batcher { get; }

    /// <summary><c>id@version</c> of every plugin the pipeline uses.</summary>
    public IReadOnlyList<string> Plugins { get; }

    /// <summary>The stage kinds, in order (names of the per-stage timings).</summary>
    public IReadOnlyList<string> Stages { get; }
}
