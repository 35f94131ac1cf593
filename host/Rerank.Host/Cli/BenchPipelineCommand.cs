using System.CommandLine;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Host.Benchmarks;
using Rerank.Host.Configuration;
using Rerank.Host.Plugins;
using Spectre.Console;

namespace Rerank.Host.Cli;

/// <summary><c>rerank bench pipeline FILE</c>: batched inference time of a pipeline (and training-phase times of its components).</summary>
internal static class BenchPipelineCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("pipeline") { Description = "Pipeline YAML file." };
        var candidates = new Option<int>("--candidates") { Description = "N, candidates per request.", DefaultValueFactory = _ => 60 };
        var slate = new Option<int>("--slate") { Description = "L, slate size.", DefaultValueFactory = _ => 6 };
        var batch = new Option<int>("--batch") { Description = "B, requests per batch.", DefaultValueFactory = _ => 1024 };
        var iterations = new Option<int>("--iterations") { Description = "Timed batches.", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed batches first.", DefaultValueFactory = _ => 3 };
        var train = new Option<int>("--train-lists") { Description = "Logged lists to train trainable components on (their params decide epochs).", DefaultValueFactory = _ => 2000 };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 42UL, Description = "Seed of the data and the components." };
        var plugins = CliApp.PluginsOption();
        var command = new Command("pipeline", "Time a pipeline's batched inference on simulator requests of a given shape, with stage and component phase breakdowns.");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { candidates, slate, batch, iterations, warmup, train, seed, plugins })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CliErrors.Guard(() =>
        {
            using var catalog = new PluginLoader().LoadFolder(PluginPaths.Resolve(parse.GetValue(plugins)?.FullName));
            var options = new PipelineBenchmarkOptions(
                parse.GetValue(candidates), parse.GetValue(slate), Positive(parse.GetValue(batch), "--batch"), Positive(parse.GetValue(iterations), "--iterations"),
                Math.Max(0, parse.GetValue(warmup)), parse.GetValue(train), parse.GetValue(seed));
            var lines = PipelineBenchmark.Run(parse.GetValue(file)!.FullName, catalog, options, new ConsoleReporter(AnsiConsole.Console));
            var table = new Table().AddColumns("what", "ms per batch (median)", "ms per request", "calls");
            foreach (var line in lines)
            {
                table.AddRow(
                    Markup.Escape(line.What),
                    line.PerBatchMs.ToString("0.000", CultureInfo.InvariantCulture),
                    line.PerRequestMs?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "",
                    line.Calls.ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new ConfigException(new SourceLocation(option, 0, 0), $"must be at least 1, got {value}");
}
