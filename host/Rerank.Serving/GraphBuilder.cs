using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Serving.Metrics;

namespace Rerank.Serving;

/// <summary>
/// Builds a serving graph off to the side: reads <c>serve.yaml</c>, loads the plugins (fresh load contexts), parses and
/// compiles every pipeline file, loads their checkpoints, reads the traffic splits, warms every pipeline on synthetic
/// requests, and only then starts its batchers. A pipeline that fails any step is left out as
/// <see cref="NotReadyPipeline"/> with its errors, so one broken file does not keep the others from serving; a failure
/// that is not one pipeline's (serve.yaml, the schema, splits.yaml, the plugins) disposes what was loaded and throws.
/// </summary>
internal sealed class GraphBuilder
{
    private static readonly string[] Reserved = [ServeConfigReader.FileName, SplitParser.FileName];
    private readonly Func<PluginCatalog> _loadCatalog;
    private readonly ServeOverrides _overrides;
    private readonly ServingMetrics _metrics;

    public GraphBuilder(Func<PluginCatalog> loadCatalog, string pipelinesFolder, ServeOverrides overrides, ServingMetrics metrics)
    {
        _loadCatalog = loadCatalog;
        PipelinesFolder = Path.GetFullPath(pipelinesFolder);
        _overrides = overrides;
        _metrics = metrics;
    }

    public string PipelinesFolder { get; }

    /// <summary>Builds and warms generation <paramref name="generation"/>; throws <see cref="ConfigException"/> or <see cref="ServingException"/> for failures outside any one pipeline.</summary>
    public ServingGraph Build(long generation)
    {
        if (!Directory.Exists(PipelinesFolder))
        {
            throw new DirectoryNotFoundException($"Pipelines folder '{PipelinesFolder}' does not exist.");
        }

        var settings = ServeConfigReader.Read(PipelinesFolder, _overrides);
        var catalog = _loadCatalog();
        try
        {
            var failed = new List<NotReadyPipeline>();
            var specs = Parse(settings, failed);
            var factory = new ComponentFactory(catalog, settings.Schema, settings.Seed);
            var compiled = new List<(CompiledPipeline Pipeline, string File)>();
            var origins = new CheckpointOrigins(PipelinesFolder);
            var loaded = new Dictionary<BuiltComponent, string?>();
            foreach (var (spec, file) in specs)
            {
                var errors = new List<ConfigError>();
                var pipeline = PipelineCompiler.Compile(spec, factory, errors);
                if (pipeline is not null && errors.Count == 0)
                {
                    LoadWeights(pipeline, file, loaded, origins, errors);
                }

                if (pipeline is null || errors.Count > 0)
                {
                    failed.Add(new NotReadyPipeline(spec.Name, file, errors));
                    continue;
                }

                compiled.Add((pipeline, file));
            }

            var known = specs.Select(s => s.Spec.Name).Concat(failed.Select(f => f.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var globalErrors = new List<ConfigError>();
            var splitsPath = Path.Combine(PipelinesFolder, SplitParser.FileName);
            var splits = File.Exists(splitsPath) ? SplitParser.Read(splitsPath, known, globalErrors) : [];
            foreach (var name in settings.PipelineBatching.Keys.Where(n => !known.Contains(n)))
            {
                globalErrors.Add(new ConfigError(new SourceLocation(ServeConfigReader.FileName, 0, 0), $"batching.pipelines names pipeline '{name}', which is not in the pipelines folder; pipelines: {string.Join(", ", known.Order(StringComparer.Ordinal))}"));
            }

            if (globalErrors.Count > 0)
            {
                throw new ConfigException(globalErrors);
            }

            var warmed = new List<CompiledPipeline>();
            foreach (var (pipeline, file) in compiled)
            {
                if (Warm(pipeline, settings) is { } error)
                {
                    failed.Add(new NotReadyPipeline(pipeline.Name, file, [error]));
                }
                else
                {
                    warmed.Add(pipeline);
                }
            }

            var ready = warmed.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var split in splits.Where(s => s.Arms.Any(a => !ready.Contains(a.Pipeline))))
            {
                var missing = split.Arms.Where(a => !ready.Contains(a.Pipeline)).Select(a => $"'{a.Pipeline}'").Distinct(StringComparer.Ordinal);
                failed.Add(new NotReadyPipeline(split.Name, SplitParser.FileName, [new ConfigError(split.Location, $"split '{split.Name}' routes to {string.Join(", ", missing)}, which is not ready")]));
            }

            var serving = warmed.Select(p => new ServingPipeline(p, new DynamicBatcher(p, settings.Schema, settings.BatchingFor(p.Name), settings.WorkersFor(p.Spec, GpuAvailable), settings.Seed, _metrics, ServeSettings.UsesGpu(p.Spec, GpuAvailable))));
            return new ServingGraph(generation, settings, catalog, serving, splits.Where(s => s.Arms.All(a => ready.Contains(a.Pipeline))), failed);
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

    /// <summary>Parses every pipeline file; a file with errors, or a second file defining a name, is not ready.</summary>
    private List<(PipelineSpec Spec, string File)> Parse(ServeSettings settings, List<NotReadyPipeline> failed)
    {
        var specs = new List<(PipelineSpec Spec, string File)>();
        foreach (var path in PipelineFiles(settings))
        {
            var file = Path.GetFileName(path);
            var errors = new List<ConfigError>();
            var spec = PipelineParser.ParseFile(path, errors, _overrides.Paths, display: file);
            if (spec is null || errors.Count > 0)
            {
                failed.Add(new NotReadyPipeline(spec?.Name ?? Path.GetFileNameWithoutExtension(file), file, errors));
            }
            else if (specs.FirstOrDefault(s => string.Equals(s.Spec.Name, spec.Name, StringComparison.OrdinalIgnoreCase)) is { Spec: not null } first)
            {
                failed.Add(new NotReadyPipeline(spec.Name, file, [new ConfigError(spec.Location, $"pipeline '{spec.Name}' is defined twice (also at {first.Spec.Location}); the first one serves")]));
            }
            else
            {
                specs.Add((spec, file));
            }
        }

        return specs;
    }

    /// <summary>
    /// Loads the <c>checkpoint:</c> of every trainable component of a pipeline (each shared component once). Serving never
    /// trains: a trainable component without trained weights is an error, at its place in this pipeline's file, naming
    /// the experiment that trains it.
    /// </summary>
    private void LoadWeights(CompiledPipeline pipeline, string file, Dictionary<BuiltComponent, string?> loaded, CheckpointOrigins origins, List<ConfigError> errors)
    {
        foreach (var stage in pipeline.Stages)
        {
            foreach (var (role, component) in stage.Components)
            {
                if (!loaded.TryGetValue(component, out var error))
                {
                    error = LoadWeights(component, Path.Combine(PipelinesFolder, file), origins);
                    loaded[component] = error;
                }

                if (error is not null)
                {
                    errors.Add(new ConfigError(SpecOf(stage.Spec, role)?.Location ?? component.Spec.Location, error));
                }
            }
        }
    }

    private static ComponentSpec? SpecOf(StageSpec stage, string role) => (stage, role) switch
    {
        (GenerateStageSpec g, "generator") => g.Generator,
        (GenerateStageSpec g, "scorer") => g.Scorer,
        (GenerateStageSpec g, "decoder") => g.Decoder,
        (GenerateStageSpec g, "diversifier") => g.Diversifier,
        (EvaluateStageSpec e, _) => e.Evaluator,
        (DiversifyStageSpec d, _) => d.Diversifier,
        _ => null,
    };

    private string? LoadWeights(BuiltComponent component, string pipelineFile, CheckpointOrigins origins)
    {
        if (component.Instance is not ITrainable trainable || trainable.IsTrained)
        {
            return null;
        }

        var reference = component.Registration.Reference;
        if (component.Spec.Checkpoint is not { } path)
        {
            // rerank run saves it under <out>/checkpoints/ with a name that depends only on the component and its params.
            var name = component.CheckpointFileName;
            var trainers = origins.Including(pipelineFile)
                .Select(e => $"'rerank run {e.Experiment}' trains it and saves {Path.GetRelativePath(PipelinesFolder, Path.Combine(e.OutputFolder, "checkpoints", name))}")
                .ToList();
            var hint = trainers.Count == 0 ? "rerank run saves trained weights under <out>/checkpoints/" : string.Join("; or ", trainers);
            return $"'{reference}' is trainable and serving does not train: give it 'checkpoint:' naming its trained weights ({hint})";
        }

        var shown = Path.GetRelativePath(PipelinesFolder, path);
        if (!File.Exists(path))
        {
            var trainer = origins.TrainedBy(path) is { } experiment
                ? $"run 'rerank run {experiment}' first: it trains this checkpoint"
                : "train it with 'rerank run' on an experiment whose component has this 'checkpoint:'";
            return $"'{reference}': checkpoint '{shown}' does not exist; {trainer}";
        }

        try
        {
            trainable.Load(path);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"'{reference}': checkpoint '{shown}' could not be loaded: {OneLine(e.Message)}";
        }
    }

    /// <summary>Runs a pipeline once on two synthetic requests so that a broken graph is caught before it serves (and code is jitted); returns the error, or null.</summary>
    private static ConfigError? Warm(CompiledPipeline pipeline, ServeSettings settings)
    {
        var n = Math.Min(20, settings.Limits.MaxCandidates);
        var l = Math.Min(5, n);
        RerankRequest[] requests = [SyntheticRequests.CreateRequest(settings.Schema, n, l, settings.Seed, 0), SyntheticRequests.CreateRequest(settings.Schema, n, l, settings.Seed, 1)];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            pipeline.Run(RerankBatch.Create(settings.Schema, requests), new RerankContext(settings.Seed, timeout.Token));
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var cause = e is PipelineException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            return new ConfigError(pipeline.Spec.Location, $"pipeline '{pipeline.Name}' failed its warm-up on synthetic requests: {OneLine(cause)}");
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" | ");
}
