using System.CommandLine;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Configuration;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank export-logs EXPERIMENT --format parquet|jsonl|csv --out DIR</c>: writes the experiment's dataset (any type:
/// MovieLens-100K, the simulator, …; its first seed) as one impression log in the long format (docs/logs.md), and prints
/// the <c>dataset:</c> block that reads it back.
/// </summary>
internal static class ExportLogsCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("experiment") { Description = "Experiment YAML file whose dataset is written." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder the log is written to (impressions.<ext>).", Required = true };
        var format = new Option<string>("--format") { Description = "parquet, jsonl or csv.", DefaultValueFactory = _ => "parquet" };
        format.AcceptOnlyFromAmong("parquet", "jsonl", "csv");
        var allowPath = CliApp.AllowPathOption();
        var command = new Command("export-logs", "Write an experiment's dataset (e.g. MovieLens-100K) as an impression log in the long format, read by dataset: {type: logs}.");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.Options.Add(format);
        command.Options.Add(allowPath);
        command.SetAction(parse => CliErrors.Guard(() =>
            Run(parse.GetValue(file)!.FullName, Enum.Parse<LogFormat>(parse.GetValue(format)!, ignoreCase: true), parse.GetValue(output)!.FullName, CliApp.Paths(parse, allowPath))));
        return command;
    }

    public static int Run(string experiment, LogFormat format, string directory, PathPolicy paths)
    {
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(experiment, errors, paths);
        if (spec is null || errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var dataset = DatasetTypes.Bind(spec.Dataset, errors) ?? throw new ConfigException(errors);
        var reporter = new ConsoleReporter(AnsiConsole.Console);
        var data = reporter.Track($"dataset ({spec.Dataset.Type})", 1, p => dataset.Type.Load(dataset.Options, spec.Dataset.Path, spec.Seed, p));
        var path = Path.Combine(directory, SimulatedLogs.FileName(format));
        var written = reporter.Track("write", 1, _ => DatasetLogs.Write(data, path, format));
        AnsiConsole.MarkupLine($"Wrote {written.Rows} rows: {written.Train} train, {written.Validation} validation and {written.Test} test requests of '{Markup.Escape(spec.Dataset.Type)}' to [bold]{Markup.Escape(path)}[/]; read it with");
        // Plain text, not the console's: a long features line must not be wrapped, so the block can be pasted.
        Console.Out.WriteLine($"dataset:\n  type: logs\n  path: {path}\n  params:\n    " + DatasetLogs.ParamsYaml(data.Schema, written).TrimEnd().Replace("\n", "\n    ", StringComparison.Ordinal));
        return 0;
    }
}
