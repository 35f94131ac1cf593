using Rerank.Abstractions;
using Rerank.Host.Configuration;
using Rerank.Host.Pipelines;
using Rerank.Host.Plugins;
using Rerank.Host.Serving.Metrics;

namespace Rerank.Host.Serving;

/// <summary>
/// Builds a serving graph off to the side: reads <c>serve.yaml</c>, loads the plugins (fresh load contexts), parses and
/// compiles every pipeline file, reads the traffic splits, warms every pipeline on synthetic requests, and only then
/// starts its batchers. Any failure disposes what was loaded and throws with every error found.
/// </summary>
internal sealed class GraphBuilder
{
    private static readonly string[] Reserved = [ServeConfigReader.FileName, SplitParser.FileName];
    private readonly Func<PluginCatalog> loadCatalog;
    private readonly ServeOverrides overrides;
    private readonly ServingMetrics metrics;

    public GraphBuilder(Func<PluginCatalog> loadCatalog, string pipelinesFolder, ServeOverrides overrides, ServingMetrics metrics)
    {
        this.loadCatalog = loadCatalog;
        PipelinesFolder = Path.GetFullPath(pipelinesFolder);
        this.overrides = overrides;
        this.metrics = metrics;
    }

    public string PipelinesFolder { get; }

    /// <summary>Builds and warms generation <paramref name="generation"/>; throws <see cref="ConfigException"/> or <see cref="ServingException"/>.</summary>
    public ServingGraph Build(long generation)
    {
        if (!Directory.Exists(PipelinesFolder))
        {
            throw new DirectoryNotFoundException($"Pipelines folder '{PipelinesFolder}' does not exist.");
        }

        var settings = ServeConfigReader.Read(PipelinesFolder, overrides);
        var catalog = loadCatalog();
        try
        {
            var errors = new List<ConfigError>();
            var specs = PipelineFiles(settings).Select(f => PipelineParser.ParseFile(f, errors, overrides.Paths)).OfType<PipelineSpec>().ToList();
            foreach (var duplicate in specs.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                errors.Add(new ConfigError(duplicate.Skip(1).First().Location, $"pipeline '{duplicate.Key}' is defined twice (also at {duplicate.First().Location})"));
            }

            var factory = new ComponentFactory(catalog, settings.Schema, settings.Seed);
            var compiled = errors.Count > 0 ? [] : specs.Select(s => PipelineCompiler.Compile(s, factory, errors)).OfType<CompiledPipeline>().ToList();
            var names = compiled.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var splitsPath = Path.Combine(PipelinesFolder, SplitParser.FileName);
            var splits = File.Exists(splitsPath) && errors.Count == 0 ? SplitParser.Read(splitsPath, names, errors) : [];
            foreach (var name in settings.PipelineBatching.Keys.Where(n => errors.Count == 0 && !names.Contains(n)))
            {
                errors.Add(new ConfigError(new SourceLocation(Path.Combine(PipelinesFolder, ServeConfigReader.FileName), 0, 0), $"batching.pipelines names pipeline '{name}', which is not loaded; pipelines: {string.Join(", ", names.Order(StringComparer.Ordinal))}"));
            }

            if (errors.Count == 0)
            {
                LoadWeights(compiled, errors);
            }

            if (errors.Count > 0)
            {
                throw new ConfigException(errors);
            }

            foreach (var pipeline in compiled)
            {
                Warm(pipeline, settings);
            }

            var serving = compiled.Select(p => new ServingPipeline(p, new DynamicBatcher(p, settings.Schema, settings.BatchingFor(p.Name), settings.WorkersFor(p.Spec, GpuAvailable), settings.Seed, metrics, ServeSettings.UsesGpu(p.Spec, GpuAvailable))));
            return new ServingGraph(generation, settings, catalog, serving, splits);
        }
        catch
        {
            catalog.Dispose();
            throw;
        }
    }

    private static bool GpuAvailable() => Engine.Cuda.IsAvailable;

    /// <summary>Every <c>*.yaml</c>/<c>*.yml</c> directly in the pipelines folder except serve.yaml, splits.yaml, the schema and hidden files.</summary>
    public IEnumerable<string> PipelineFiles(ServeSettings settings) =>
        Directory.EnumerateFiles(PipelinesFolder)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Where(f => !Reserved.Contains(Path.GetFileName(f), StringComparer.OrdinalIgnoreCase))
            .Where(f => !string.Equals(Path.GetFullPath(f), settings.SchemaFilePath, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// Loads every trainable component's <c>checkpoint:</c>. Serving never trains: a trainable component without trained
    /// weights is an error naming the component and where its checkpoint should come from.
    /// </summary>
    private static void LoadWeights(IEnumerable<CompiledPipeline> pipelines, List<ConfigError> errors)
    {
        foreach (var component in pipelines.SelectMany(p => p.Components).Distinct())
        {
            if (component.Instance is not ITrainable trainable || trainable.IsTrained)
            {
                continue;
            }

            var reference = component.Registration.Reference;
            if (component.Spec.Checkpoint is not { } path)
            {
                errors.Add(new ConfigError(component.Spec.Location, $"'{reference}' is trainable and serving does not train: give it 'checkpoint:' naming its trained weights (rerank run saves them under <out>/checkpoints/)"));
                continue;
            }

            if (!File.Exists(path))
            {
                errors.Add(new ConfigError(component.Spec.Location, $"'{reference}': checkpoint '{path}' does not exist"));
                continue;
            }

            try
            {
                trainable.Load(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ComponentException or ArgumentException or InvalidOperationException or FormatException)
            {
                errors.Add(new ConfigError(component.Spec.Location, $"'{reference}': checkpoint '{path}' could not be loaded: {e.Message}"));
            }
        }
    }

    /// <summary>Runs a pipeline once on two synthetic requests so that a broken graph is caught before it serves (and code is jitted).</summary>
    private static void Warm(CompiledPipeline pipeline, ServeSettings settings)
    {
        var n = Math.Min(20, settings.Limits.MaxCandidates);
        var l = Math.Min(5, n);
        RerankRequest[] requests = [SyntheticRequests.CreateRequest(settings.Schema, n, l, settings.Seed, 0), SyntheticRequests.CreateRequest(settings.Schema, n, l, settings.Seed, 1)];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            pipeline.Run(RerankBatch.Create(settings.Schema, requests), new RerankContext(settings.Seed, timeout.Token));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var cause = e is PipelineException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            throw new ServingException($"pipeline '{pipeline.Name}' failed its warm-up on synthetic requests: {cause}", e);
        }
    }
}
