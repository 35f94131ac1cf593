using System.CommandLine;
using System.Globalization;
using Rerank.Benchmarks;
using Rerank.Runtime.Plugins;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary><c>rerank bench pipeline FILE</c>: batched inference time of a pipeline (and training-phase times of its components).</summary>
internal static class BenchPipelineCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("pipeline") { Description = "Pipeline YAML file." };
        var candidates = new Option<int>("--candidates") { Description = "N, candidates per request.", DefaultValueFactory = _ => 60 }.InRange(new(1, 10_000));
        var slate = new Option<int>("--slate") { Description = "L, slate size.", DefaultValueFactory = _ => 6 }.InRange(new(1, 10_000));
        var batch = new Option<int>("--batch") { Description = "B, requests per batch.", DefaultValueFactory = _ => 1024 }.InRange(new(1, 65_536));
        var iterations = new Option<int>("--iterations") { Description = "Timed batches.", DefaultValueFactory = _ => 20 }.InRange(new(1, 100_000));
        var warmup = new Option<int>("--warmup") { Description = "Untimed batches first.", DefaultValueFactory = _ => 3 }.InRange(new(0, 100_000));
        var train = new Option<int>("--train-lists") { Description = "Logged lists to train trainable components on (their params decide epochs).", DefaultValueFactory = _ => 2000 }.InRange(new(0, 10_000_000));
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
                parse.GetValue(candidates), parse.GetValue(slate), parse.GetValue(batch), parse.GetValue(iterations),
                parse.GetValue(warmup), parse.GetValue(train), parse.GetValue(seed));
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
}
