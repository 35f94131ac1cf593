using System.CommandLine;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Simulation;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank simulate --out DIR</c>: generates the simulator's dataset and writes it as files (JSON Lines, gzip);
/// <c>--format parquet|jsonl|csv</c> writes an impression log in the long format instead (docs/logs.md).
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the dataset to.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 42UL };
        var config = new Option<FileInfo?>("--config") { Description = "YAML file whose top-level mapping holds simulator params (see docs/simulator.md)." };
        var set = new Option<string[]>("--set") { Description = "Overrides one param, e.g. --set candidates=12 (repeatable).", AllowMultipleArgumentsPerToken = true };
        var format = new Option<string>("--format")
        {
            Description = "folder (the dataset files read by dataset: {type: simulator, path: DIR}) or parquet, jsonl, csv (an impression log in the long format, read by dataset: {type: logs}; see docs/logs.md).",
            DefaultValueFactory = _ => "folder",
        };
        format.AcceptOnlyFromAmong("folder", "parquet", "jsonl", "csv");
        var command = new Command("simulate", "Generate a simulated dataset (train/validation logs, test requests with exact ground truth) and write it to a folder.");
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Options.Add(config);
        command.Options.Add(set);
        command.Options.Add(format);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var options = BindOptions(parse.GetValue(config)?.FullName, parse.GetValue(set) ?? []);
            var reporter = new ConsoleReporter(AnsiConsole.Console);
            var directory = parse.GetValue(output)!.FullName;
            var dataset = reporter.Track("simulate", 1, p => Simulator.Generate(options, parse.GetValue(seed), p));
            if (parse.GetValue(format) is { } name && name != "folder")
            {
                var logFormat = Enum.Parse<LogFormat>(name, ignoreCase: true);
                var file = Path.Combine(directory, SimulatedLogs.FileName(logFormat));
                SimulatedLogs.Write(dataset, file, logFormat);
                AnsiConsole.MarkupLine($"Wrote {dataset.Train.Count} train, {dataset.Validation.Count} validation and {dataset.Test.Count} logged test requests to [bold]{Markup.Escape(file)}[/]; read it with");
                // Plain text, not the console's: a long features line must not be wrapped, so the block can be pasted.
                Console.Out.WriteLine($"dataset:\n  type: logs\n  path: {file}\n  params:\n    " + SimulatedLogs.ParamsYaml(dataset).TrimEnd().Replace("\n", "\n    ", StringComparison.Ordinal));
                return 0;
            }

            DatasetFiles.Write(dataset, directory);
            AnsiConsole.MarkupLine($"Wrote {dataset.Train.Count} train, {dataset.Validation.Count} validation logs and {dataset.Test.Count} test requests to [bold]{Markup.Escape(directory)}[/]");
            return 0;
        }));
        return command;
    }

    /// <summary>Binds params from an optional YAML file and <c>key=value</c> overrides (later wins); throws <see cref="ConfigException"/> listing every error.</summary>
    public static SimulatorOptions BindOptions(string? configFile, IReadOnlyList<string> overrides)
    {
        var errors = new List<ConfigError>();
        var entries = new List<ParamEntry>();
        if (configFile is not null)
        {
            var root = YamlReader.Load(configFile, configFile, errors);
            if (root is not null)
            {
                entries.AddRange(((ParamMapping)YamlParams.ToParam(root, configFile)).Entries);
            }
        }

        entries = [.. ParamOverrides.Apply(entries, overrides, errors)];
        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var options = OptionsBinder.Bind<SimulatorOptions>(new ParamMapping([.. entries], SourceLocation.None), errors);
        return errors.Count > 0 ? throw new ConfigException(errors) : options;
    }
}
