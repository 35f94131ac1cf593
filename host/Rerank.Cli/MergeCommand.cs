using System.CommandLine;
using Rerank.Evaluation.Experiments;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank merge SHARD_DIR… --out DIR</c>: scores the shards of one sharded run (<c>rerank run --shard i/n</c>)
/// together and writes results.json/csv/md, run.json and report.html as the unsharded run would: the same rows and the
/// same metric values to the last digit; only latencies and stage shares are the shards' own timings.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var shards = new Argument<DirectoryInfo[]>("shards") { Description = "The --out folders of every shard of the run (each holds a shard.json).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder for the merged results.", Required = true };
        var plugins = CliApp.PluginsOption();
        var allowPath = CliApp.AllowPathOption();
        var command = new Command("merge", "Merge the shards of a sharded run (rerank run --shard i/n) into the results of the whole run.");
        command.Arguments.Add(shards);
        command.Options.Add(output);
        command.Options.Add(plugins);
        command.Options.Add(allowPath);
        command.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Guard(() =>
            Run([.. parse.GetValue(shards)!.Select(d => d.FullName)], parse.GetValue(output)!.FullName, parse.GetValue(plugins)?.FullName, AnsiConsole.Console, cancellation, CliApp.Paths(parse, allowPath)))));
        return command;
    }

    public static int Run(IReadOnlyList<string> folders, string output, string? pluginsFolder, IAnsiConsole console, CancellationToken cancellation, Runtime.Configuration.PathPolicy? paths = null)
    {
        var shards = folders.Select(ShardResult.Read).ToList();
        var first = shards[0];
        ShardMerge.Validate(shards, first.Experiment);
        if (shards.FirstOrDefault(s => s.File != first.File || !s.Overrides.SequenceEqual(first.Overrides) || s.Checkpoints != first.Checkpoints) is { } other)
        {
            throw new InvalidDataException($"merge: shard {other.Shard} ran {other.File} with [{string.Join(" ", other.Overrides)}] and checkpoints {other.Checkpoints}; shard {first.Shard} ran {first.File} with [{string.Join(" ", first.Overrides)}] and checkpoints {first.Checkpoints}");
        }

        var spec = RunCommand.LoadSpec(first.File, paths, first.Overrides);
        using var catalog = RunCommand.LoadPlugins(pluginsFolder, console);
        console.MarkupLine($"merging {shards.Count} shard(s) of {Markup.Escape(spec.Name)} (components from {Markup.Escape(first.Checkpoints)})");
        var result = new ExperimentRunner(catalog, new ConsoleReporter(console))
            .Run(spec, output, new RunScope { Checkpoints = first.Checkpoints, Merge = shards }, cancellation);
        return RunCommand.Report(result, output, console);
    }
}
