using System.CommandLine;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Plugins;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank run EXPERIMENT [--out DIR] [--set key=value]… [--allow-path DIR]…</c>: runs an experiment, prints the
/// comparison table and writes results files; <c>--set</c> overrides dataset params (e.g. <c>--set preset=rich</c>). A
/// pipeline that failed is a row marked <c>failed</c> with its error, printed to stderr; the others are written, and the
/// exit code is <see cref="CliErrors.RunFailed"/>. <c>--shard i/n</c> evaluates one slice of the test requests and writes
/// <c>shard.json</c> for <c>rerank merge</c>; <c>--train-only</c> trains every component into the checkpoints folder and
/// stops; <c>--checkpoints DIR</c> is the folder they share (docs/scale-out.md).
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("experiment") { Description = "Experiment YAML file (dataset, evaluation, pipelines)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder for results.{md,csv,json}, run.json, report.html and checkpoints. Default: out/<experiment name>." };
        var set = new Option<string[]>("--set") { Description = "Overrides one dataset param, e.g. --set preset=rich (repeatable; replaces the experiment's value).", AllowMultipleArgumentsPerToken = true };
        var shard = new Option<string?>("--shard") { Description = "Evaluate only slice i/n of the test requests (whole batches) and write --out/shard.json; `rerank merge` scores the shards together." };
        var checkpoints = new Option<DirectoryInfo?>("--checkpoints") { Description = "A checkpoints folder shared by the runs of this experiment (shards, --train-only, merge): components trained before load from it. Default: --out/checkpoints." };
        var trainOnly = new Option<bool>("--train-only") { Description = "Train (or load) every component of every seed into the checkpoints folder and stop: the step before the shards." };
        var plugins = CliApp.PluginsOption();
        var allowPath = CliApp.AllowPathOption();
        var command = new Command("run", "Run an experiment: build or load the dataset, train what needs training, evaluate every pipeline, write results.");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.Options.Add(set);
        command.Options.Add(shard);
        command.Options.Add(checkpoints);
        command.Options.Add(trainOnly);
        command.Options.Add(plugins);
        command.Options.Add(allowPath);
        command.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Guard(() =>
        {
            var shardText = parse.GetValue(shard);
            var scope = new RunPlan(
                shardText is null ? null : ShardSpec.Parse(shardText),
                parse.GetValue(checkpoints)?.FullName,
                parse.GetValue(trainOnly));
            return Run(parse.GetValue(file)!.FullName, parse.GetValue(output)?.FullName, parse.GetValue(plugins)?.FullName, AnsiConsole.Console, cancellation, CliApp.Paths(parse, allowPath), parse.GetValue(set), scope);
        })));
        return command;
    }

    /// <summary>What part of the experiment <c>rerank run</c> does: a shard, training only, or all of it (with shared checkpoints when named).</summary>
    public sealed record RunPlan(ShardSpec? Shard = null, string? Checkpoints = null, bool TrainOnly = false);

    public static int Run(string file, string? output, string? pluginsFolder, IAnsiConsole console, CancellationToken cancellation, PathPolicy? paths = null, IReadOnlyList<string>? overrides = null, RunPlan? plan = null)
    {
        plan ??= new RunPlan();
        if (plan.Shard is not null && plan.TrainOnly)
        {
            throw new ArgumentException("--shard and --train-only do not go together: train first, then run the shards with the same --checkpoints");
        }

        var spec = LoadSpec(file, paths, overrides);
        var directory = Path.GetFullPath(output ?? Path.Combine("out", spec.Name));
        using var catalog = LoadPlugins(pluginsFolder, console);
        var runner = new ExperimentRunner(catalog, new ConsoleReporter(console));
        if (plan.TrainOnly)
        {
            var into = plan.Checkpoints ?? Path.Combine(directory, "checkpoints");
            runner.Train(spec, into, cancellation);
            console.MarkupLine($"trained every component of {spec.RunSeeds.Count} seed(s) into [bold]{Markup.Escape(PathForDisplay(into))}[/]; run the shards with --checkpoints {Markup.Escape(PathForDisplay(into))}");
            return 0;
        }

        if (plan.Shard is { } shard)
        {
            var checkpoints = plan.Checkpoints ?? Path.Combine(directory, "checkpoints");
            var part = runner.RunShard(spec, shard, checkpoints, overrides ?? [], cancellation);
            var written = part.Write(directory);
            var slices = string.Join(", ", part.Seeds.Select(s => $"{s.Start}…{s.End - 1} of {s.TestRequests}").Distinct());
            console.MarkupLine($"shard {shard}: test requests {Markup.Escape(slices)}; wrote [bold]{Markup.Escape(PathForDisplay(written))}[/]");
            var failed = part.Seeds.SelectMany(s => s.Pipelines).Where(p => p.Error is not null).Select(p => p.Pipeline).Distinct().ToList();
            foreach (var name in failed)
            {
                CliErrors.Error($"{name} failed in this shard (the merge reports it as failed)");
            }

            return failed.Count == 0 ? 0 : CliErrors.RunFailed;
        }

        var result = runner.Run(spec, directory, new RunScope { Checkpoints = plan.Checkpoints }, cancellation);
        return Report(result, directory, console);
    }

    /// <summary>The experiment at <paramref name="file"/> with the <c>--set</c> <paramref name="overrides"/> applied to its dataset params.</summary>
    public static ExperimentSpec LoadSpec(string file, PathPolicy? paths, IReadOnlyList<string>? overrides)
    {
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(file, errors, paths);
        if (spec is not null && overrides is { Count: > 0 })
        {
            var dataset = spec.Dataset.Params ?? new ParamMapping([], spec.Dataset.Location);
            var entries = ParamOverrides.Apply(dataset.Entries, overrides, errors);
            spec = spec with
            {
                Dataset = spec.Dataset with { Params = new ParamMapping([.. entries], dataset.Location) },
                CheckpointVariant = ParamOverrides.FolderName(overrides),
            };
        }

        return spec is null || errors.Count > 0 ? throw new ConfigException(errors) : spec;
    }

    /// <summary>The plugins of <paramref name="pluginsFolder"/> (or the default), warning about those that failed to load.</summary>
    public static PluginCatalog LoadPlugins(string? pluginsFolder, IAnsiConsole console)
    {
        var catalog = new PluginLoader().LoadFolder(PluginPaths.Resolve(pluginsFolder));
        foreach (var failed in catalog.Plugins.Where(p => p.Status == PluginLoadStatus.Failed))
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(failed.Error ?? failed.Id)}");
        }

        return catalog;
    }

    /// <summary>Prints the result's tables and warnings, writes the results files into <paramref name="directory"/>, and returns the exit code.</summary>
    public static int Report(ExperimentResult result, string directory, IAnsiConsole console)
    {
        console.Write(ResultTable(result));
        foreach (var note in result.Rows.Select(ResultWriters.TuningNote).OfType<string>())
        {
            console.MarkupLine(Markup.Escape(note));
        }

        foreach (var differences in DifferenceTables(result))
        {
            console.Write(differences);
        }

        if (OffPolicyTable(result) is { } offPolicy)
        {
            console.Write(offPolicy);
            foreach (var warning in ResultWriters.OffPolicyWarnings(result))
            {
                console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
            }

            foreach (var note in result.OffPolicy!.Notes)
            {
                console.MarkupLine(Markup.Escape(note));
            }
        }

        foreach (var path in ResultWriters.WriteAll(result, directory))
        {
            console.MarkupLine($"wrote [bold]{Markup.Escape(PathForDisplay(path))}[/]");
        }

        foreach (var row in result.FailedRows)
        {
            CliErrors.Error($"{row.Pipeline} failed: {row.Error}");
        }

        return result.FailedRows.Count == 0 ? 0 : CliErrors.RunFailed;
    }

    /// <summary>The comparison table: one row per pipeline, one column per metric (mean ± std with several seeds).</summary>
    public static Table ResultTable(ExperimentResult result)
    {
        var metrics = ResultWriters.MetricNames(result);
        var status = result.FailedRows.Count > 0;
        var title = result.MultiSeed ? $"{result.Experiment} (mean ± std over {result.Seeds!.Count} seeds)" : result.Experiment;
        var table = new Table().Title(Markup.Escape(title)).AddColumn(new TableColumn("pipeline").NoWrap());
        foreach (var m in metrics)
        {
            table.AddColumn(new TableColumn(Markup.Escape(m)).RightAligned().NoWrap());
        }

        if (status)
        {
            table.AddColumn(new TableColumn("status").NoWrap());
        }

        foreach (var row in result.Rows)
        {
            string[] cells = [Markup.Escape(row.Pipeline), .. metrics.Select(m => ResultWriters.FormatCell(row, m))];
            table.AddRow(status ? [.. cells, row.Error is null ? "ok" : "[red]failed[/]"] : cells);
        }

        return table;
    }

    /// <summary>
    /// With <c>compare_to</c>: a table per reference of each row's difference to it and its interval, per metric (grey
    /// with n.s. when the interval includes 0); none without.
    /// </summary>
    public static IReadOnlyList<Table> DifferenceTables(ExperimentResult result) =>
        result.Comparison is { } comparison ? [.. comparison.References.Select(r => DifferenceTable(result, comparison, r))] : [];

    private static Table DifferenceTable(ExperimentResult result, Comparison comparison, string reference)
    {
        var metrics = ResultWriters.DifferenceNames(result, reference);
        var table = new Table().Title(Markup.Escape(ResultWriters.DifferenceTitle(comparison, reference)))
            .Caption(Markup.Escape(ResultWriters.DifferenceNote(comparison, reference)))
            .AddColumn(new TableColumn("pipeline").NoWrap());
        foreach (var m in metrics)
        {
            table.AddColumn(new TableColumn(Markup.Escape(m)).RightAligned());
        }

        foreach (var row in ResultWriters.DifferenceRows(result, reference))
        {
            table.AddRow([Markup.Escape(row.Pipeline), .. metrics.Select(m => row.DifferenceOf(reference, m) is { } d ? Cell(d) : "–")]);
        }

        return table;

        static string Cell(MetricDifference d) => d.Interval.IncludesZero
            ? $"[grey]{Markup.Escape(ResultWriters.FormatDifference(d))}[/]"
            : Markup.Escape(ResultWriters.FormatDifference(d));
    }

    /// <summary>
    /// With <c>evaluation.off_policy</c>: pipelines × estimators, each cell <c>estimate [low, high]</c> (marked when its
    /// effective sample size is below <c>min_ess</c>), the exact value beside them on the simulator; null without.
    /// </summary>
    public static Table? OffPolicyTable(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.OffPolicy is not { } settings)
        {
            return null;
        }

        var estimators = ResultWriters.OffPolicyEstimators(result);
        var truth = ResultWriters.OffPolicyHasTruth(result);
        var table = new Table().Title("off-policy estimates")
            .Caption(Markup.Escape(ResultWriters.OffPolicyFootnote(settings, truth)))
            .AddColumn(new TableColumn("pipeline").NoWrap());
        if (truth)
        {
            table.AddColumn(new TableColumn("truth").RightAligned());
        }

        foreach (var e in estimators)
        {
            table.AddColumn(new TableColumn(Markup.Escape(e)).RightAligned());
        }

        foreach (var row in result.Rows.Where(r => r.OffPolicy is not null))
        {
            var cells = estimators.Select(e => row.OffPolicy!.FirstOrDefault(c => c.Estimator == e) is { } cell ? Markup.Escape(ResultWriters.FormatEstimate(cell, settings.MinEss)) : "–");
            table.AddRow([Markup.Escape(row.Pipeline), .. truth ? [Markup.Escape(ResultWriters.FormatTruth(row.OffPolicy))] : Array.Empty<string>(), .. cells]);
        }

        return table;
    }

    private static string PathForDisplay(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
