using System.CommandLine;
using Rerank.Abstractions;
using Rerank.Engine.Onnx;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Simulation.Datasets;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank export onnx --experiment FILE --pipeline NAME --component scorer|evaluator|generator --out model.onnx</c>:
/// loads the component from its checkpoint (or trains it on the experiment's logs and saves it, as <c>rerank run</c>
/// would), writes it as ONNX and writes <c>model.onnx.yaml</c>, the <c>onnx@^1.0</c> component block that serves the file.
/// </summary>
internal static class ExportCommand
{
    private static readonly Dictionary<string, ComponentKind> Kinds = new(StringComparer.Ordinal)
    {
        ["scorer"] = ComponentKind.Scorer,
        ["evaluator"] = ComponentKind.Evaluator,
        ["generator"] = ComponentKind.Generator,
    };

    public static Command Create()
    {
        var experiment = new Option<FileInfo>("--experiment") { Description = "Experiment YAML file (its dataset trains the component when no checkpoint exists).", Required = true };
        var pipeline = new Option<string>("--pipeline") { Description = "The pipeline whose component is exported.", Required = true };
        var component = new Option<string>("--component") { Description = "Which of the pipeline's components: scorer, evaluator or generator.", Required = true };
        component.AcceptOnlyFromAmong([.. Kinds.Keys]);
        var output = new Option<FileInfo>("--out") { Description = "The ONNX file to write (model.onnx); the serving block goes to <out>.yaml.", Required = true };
        var checkpoints = new Option<DirectoryInfo?>("--checkpoints") { Description = "Where a component without checkpoint: is loaded from or saved to. Default: out/<experiment name>/checkpoints, as rerank run writes." };
        var plugins = CliApp.PluginsOption();
        var allowPath = CliApp.AllowPathOption();
        var onnx = new Command("onnx", "Export a trained component of an experiment's pipeline as an ONNX model the onnx plugin serves.");
        onnx.Options.Add(experiment);
        onnx.Options.Add(pipeline);
        onnx.Options.Add(component);
        onnx.Options.Add(output);
        onnx.Options.Add(checkpoints);
        onnx.Options.Add(plugins);
        onnx.Options.Add(allowPath);
        onnx.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Guard(() => Run(
            parse.GetValue(experiment)!.FullName,
            parse.GetValue(pipeline)!,
            parse.GetValue(component)!,
            parse.GetValue(output)!.FullName,
            parse.GetValue(checkpoints)?.FullName,
            parse.GetValue(plugins)?.FullName,
            AnsiConsole.Console,
            cancellation,
            CliApp.Paths(parse, allowPath)))));
        var command = new Command("export", "Export trained components to other formats.");
        command.Subcommands.Add(onnx);
        return command;
    }

    public static int Run(string file, string pipelineName, string kindName, string output, string? checkpoints, string? pluginsFolder, IAnsiConsole console, CancellationToken cancellation, PathPolicy? paths = null)
    {
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(file, errors, paths);
        if (spec is null || errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var pipeline = spec.Pipelines.FirstOrDefault(p => p.Name == pipelineName)
            ?? throw new ComponentException($"experiment '{spec.Name}' has no pipeline '{pipelineName}'; its pipelines: {string.Join(", ", spec.Pipelines.Select(p => p.Name))}");
        var kind = Kinds[kindName];
        var componentSpec = pipeline.Components().Where(c => c.Kind == kind).Select(c => c.Spec).FirstOrDefault()
            ?? throw new ComponentException($"pipeline '{pipelineName}' has no {kindName}; its components: {string.Join(", ", pipeline.Components().Select(c => $"{Name(c.Kind)} {c.Spec.Reference}"))}");

        using var catalog = new PluginLoader().LoadFolder(PluginPaths.Resolve(pluginsFolder));
        var dataset = DatasetTypes.Bind(spec.Dataset, errors) ?? throw new ConfigException(errors);
        var reporter = new ConsoleReporter(console);
        var data = reporter.Track($"dataset ({spec.Dataset.Type})", 1, p => dataset.Type.Load(dataset.Options, spec.Dataset.Path, spec.Seed, p));
        var factory = new ComponentFactory(catalog, data.Schema, spec.Seed);
        var built = factory.Build(kind, componentSpec, errors);
        if (built is null || errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        if (built.Instance is not IOnnxExportable { CanExportOnnx: true } exportable)
        {
            var exportableNames = Exportable(catalog, factory, data.Schema);
            throw new ComponentException(
                $"'{componentSpec.Reference}' ({built.Registration.Reference}) cannot be exported to ONNX; components that can: "
                + (exportableNames.Count == 0 ? "none in the loaded plugins" : string.Join(", ", exportableNames)));
        }

        // A component without checkpoint: is loaded from (or trained into) the folder rerank run saves it in.
        if (built.Spec.Checkpoint is null)
        {
            var folder = checkpoints ?? Path.GetFullPath(Path.Combine("out", spec.Name, "checkpoints"));
            built = built with { Spec = built.Spec with { Checkpoint = Path.Combine(folder, built.CheckpointFileName) } };
        }

        ComponentTrainer.Prepare([built], data.Training, checkpoints ?? Path.GetDirectoryName(built.Spec.Checkpoint!)!, reporter, cancellation);
        var export = exportable.ExportOnnx(new OnnxExportSettings(kindName, new Dictionary<string, string>
        {
            ["rerank.experiment"] = spec.Name,
            ["rerank.pipeline"] = pipeline.Name,
            ["rerank.reference"] = built.Registration.Reference,
        }));
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        export.Save(output);
        var yaml = export.ServingYaml(kindName, Path.GetFileName(output));
        File.WriteAllText(output + ".yaml", yaml);
        console.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/] ({new FileInfo(output).Length} bytes): {Markup.Escape(built.Registration.Reference)} as ONNX, served by this {Markup.Escape(kindName)} block ({Markup.Escape(output)}.yaml):");
        console.WriteLine(yaml);
        return 0;
    }

    /// <summary>Every scorer, evaluator and generator of the loaded plugins that, with default params, can be exported.</summary>
    private static List<string> Exportable(PluginCatalog catalog, ComponentFactory factory, FeatureSchema schema)
    {
        var names = new List<string>();
        foreach (var registration in catalog.Plugins.SelectMany(p => p.Components).Where(r => Kinds.ContainsValue(r.Kind)))
        {
            try
            {
                if (registration.BindOptions(null, new List<ConfigError>()) is not { } options)
                {
                    continue;
                }

                var instance = registration.Create(options, new ComponentContext(registration.PluginId, registration.PluginVersion.ToNormalizedString(), registration.Name, schema, 1, factory));
                if (instance is IOnnxExportable { CanExportOnnx: true })
                {
                    names.Add($"{registration.PluginId}/{registration.Name}");
                }

                (instance as IDisposable)?.Dispose();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A component that cannot be created with default params is not listed.
            }
        }

        return names;
    }

    private static string Name(ComponentKind kind) => kind.ToString().ToLowerInvariant();
}
