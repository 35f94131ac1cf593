using System.CommandLine;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.IO;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Simulation.Datasets;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank mine EXPERIMENT --pipeline NAME --shard i/n --out FILE</c>: runs the offline mining of the pipeline's
/// <see cref="IMiner"/> component over a deterministic slice of the experiment's training requests. Other trainable
/// components (the teacher) are trained or loaded first, as <c>rerank run</c> does. The shard files of 0/n … (n−1)/n,
/// concatenated in order, equal the file of <c>--shard 0/1</c> byte for byte.
/// </summary>
internal static class MineCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("experiment") { Description = "Experiment YAML file (its dataset and pipelines)." };
        var pipeline = new Option<string>("--pipeline") { Description = "The pipeline whose miner runs (default: the only pipeline with one)." };
        var shard = new Option<string>("--shard") { Description = "Slice i/n of the training requests (default 0/1: all of them).", DefaultValueFactory = _ => "0/1" };
        var output = new Option<FileInfo>("--out") { Description = "File the mined records are written to (atomically).", Required = true };
        var checkpoints = new Option<DirectoryInfo?>("--checkpoints") { Description = "A checkpoints folder shared by the shards: teachers trained before (by another shard or `rerank run --train-only`) load from it, else train and are saved there. Default: out/<experiment name>/checkpoints (saved, never reused)." };
        var plugins = CliApp.PluginsOption();
        var allowPath = CliApp.AllowPathOption();
        var command = new Command("mine", "Mine supervision offline for a pipeline's miner (e.g. DeGRe's beam search), one deterministic shard of the training requests.");
        command.Arguments.Add(file);
        command.Options.Add(pipeline);
        command.Options.Add(shard);
        command.Options.Add(output);
        command.Options.Add(checkpoints);
        command.Options.Add(plugins);
        command.Options.Add(allowPath);
        command.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Guard(() =>
            Run(parse.GetValue(file)!.FullName, parse.GetValue(pipeline), parse.GetValue(shard)!, parse.GetValue(output)!.FullName,
                parse.GetValue(checkpoints)?.FullName, parse.GetValue(plugins)?.FullName, AnsiConsole.Console, cancellation, CliApp.Paths(parse, allowPath)))));
        return command;
    }

    public static int Run(string file, string? pipelineName, string shardText, string output, string? checkpoints, string? pluginsFolder, IAnsiConsole console, CancellationToken cancellation, PathPolicy? paths = null)
    {
        var (shard, shards) = ShardSpec.Parse(shardText);
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(file, errors, paths);
        if (spec is null || errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        using var catalog = new PluginLoader().LoadFolder(PluginPaths.Resolve(pluginsFolder));
        var reporter = new ConsoleReporter(console);
        var dataset = DatasetTypes.Bind(spec.Dataset, errors) ?? throw new ConfigException(errors);
        var data = reporter.Track($"dataset ({spec.Dataset.Type})", 1, p => dataset.Type.Load(dataset.Options, spec.Dataset.Path, spec.Seed, p));
        var factory = new ComponentFactory(catalog, data.Schema, spec.Seed);
        var selected = spec.Pipelines.Where(p => pipelineName is null || p.Name == pipelineName).ToList();
        if (selected.Count == 0)
        {
            throw new InvalidOperationException($"mine: experiment '{spec.Name}' has no pipeline '{pipelineName}'; it has {string.Join(", ", spec.Pipelines.Select(p => p.Name))}");
        }

        PipelineCompiler.CompileAll(selected, factory);
        var miners = factory.Built.Where(c => c.Instance is IMiner).ToList();
        if (miners.Count != 1)
        {
            throw new InvalidOperationException(miners.Count == 0
                ? $"mine: no component of {(pipelineName is null ? "the experiment" : $"pipeline '{pipelineName}'")} can mine (implements IMiner)"
                : $"mine: {miners.Count} components can mine ({string.Join(", ", miners.Select(m => m.Registration.Reference))}); name one pipeline with --pipeline");
        }

        var miner = miners[0];
        var directory = checkpoints ?? Path.GetFullPath(Path.Combine("out", spec.Name, "checkpoints"));
        // With --checkpoints, teachers trained before (by another shard, or `rerank run --train-only`) load from there.
        ComponentTrainer.Prepare(factory.Built.Where(c => c != miner), data.Training, directory, reporter, cancellation, reuse: checkpoints is not null);
        reporter.Track($"mine {miner.Registration.Reference} shard {shard}/{shards}", 1, _ =>
        {
            AtomicFile.Write(output, stream => ((IMiner)miner.Instance).Mine(data.Training, shard, shards, stream, new TrainingContext(miner.Seed, null, cancellation)));
            return 0;
        });
        console.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/]");
        return 0;
    }
}
