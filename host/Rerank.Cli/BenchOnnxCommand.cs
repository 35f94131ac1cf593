using System.CommandLine;
using System.Globalization;
using Rerank.Benchmarks;
using Rerank.Runtime.Plugins;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank bench onnx</c>: one trained scorer (default: the NAR4Rec generator) on our engine and, exported, on ONNX
/// Runtime, side by side at each batch size, with the ratio and the largest output difference.
/// </summary>
internal static class BenchOnnxCommand
{
    public static Command Create()
    {
        var component = new Option<string>("--component") { Description = "The engine scorer to export and compare.", DefaultValueFactory = _ => "nar4rec@^1.0/generator" };
        var parameters = new Option<string>("--params") { Description = "Its params as YAML, e.g. \"{ dimension: 64, candidate_layers: 2 }\".", DefaultValueFactory = _ => "" };
        var batches = new Option<string>("--batch-sizes") { Description = "Comma-separated batch sizes B.", DefaultValueFactory = _ => "1,64,1024" };
        var candidates = new Option<int>("--candidates") { Description = "N, candidates per request.", DefaultValueFactory = _ => 60 }.InRange(new(1, 10_000));
        var slate = new Option<int>("--slate") { Description = "L, slate size (positions a per-position model fills).", DefaultValueFactory = _ => 6 }.InRange(new(1, 10_000));
        var iterations = new Option<int>("--iterations") { Description = "Timed batches per runtime and batch size.", DefaultValueFactory = _ => 20 }.InRange(new(1, 100_000));
        var warmup = new Option<int>("--warmup") { Description = "Untimed batches first, per runtime and batch size.", DefaultValueFactory = _ => 3 }.InRange(new(0, 100_000));
        var train = new Option<int>("--train-lists") { Description = "Logged lists to train on before export (speed does not depend on the weights).", DefaultValueFactory = _ => 500 }.InRange(new(1, 10_000_000));
        var threads = new Option<int>("--threads") { Description = "CPU threads for both runtimes (engine kernels, ONNX Runtime intra-op).", DefaultValueFactory = _ => Environment.ProcessorCount }.InRange(new(1, 1024));
        var cuda = new Option<bool>("--cuda") { Description = "Also time the engine's CUDA backend and ONNX Runtime's CUDA provider (needs a GPU and CUDA 13)." };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 42UL, Description = "Seed of the data and the component." };
        var plugins = CliApp.PluginsOption();
        var command = new Command("onnx", "The same trained scorer on our engine and exported on ONNX Runtime, side by side at each batch size (default: NAR4Rec generator, B = 1, 64, 1024, N = 60, L = 6).");
        foreach (var option in new Option[] { component, parameters, batches, candidates, slate, iterations, warmup, train, threads, cuda, seed, plugins })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var sizes = new List<int>();
            foreach (var part in parse.GetValue(batches)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                sizes.Add(int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b is >= 1 and <= 65_536
                    ? b
                    : throw new InvalidDataException($"--batch-sizes: '{part}' is not a batch size (a whole number from 1 to 65536)"));
            }

            if (sizes.Count == 0)
            {
                throw new InvalidDataException("--batch-sizes: give at least one batch size, e.g. 1,64,1024");
            }

            using var catalog = new PluginLoader().LoadFolder(PluginPaths.Resolve(parse.GetValue(plugins)?.FullName));
            var options = new OnnxBenchmarkOptions(
                parse.GetValue(component)!, parse.GetValue(parameters)!, sizes, parse.GetValue(candidates), parse.GetValue(slate), parse.GetValue(iterations),
                parse.GetValue(warmup), parse.GetValue(train), parse.GetValue(threads), parse.GetValue(cuda), parse.GetValue(seed));
            var result = OnnxBenchmark.Run(catalog, options, new ConsoleReporter(AnsiConsole.Console));
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{result.Reference} exported to ONNX ({result.ModelBytes} bytes, {result.OutputKind}); N = {options.Candidates}, L = {options.SlateSize}, {options.Threads} CPU thread(s), median of {options.Iterations} batches")));
            var table = new Table().AddColumns("B", "runtime", "ms per batch (median)", "p90", "ms per request", "vs engine (cpu)", "max |Δ| vs engine");
            foreach (var row in result.Rows)
            {
                var engine = result.Rows.First(r => r.BatchSize == row.BatchSize);
                table.AddRow(
                    row.BatchSize.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(row.Runtime),
                    row.MedianMs.ToString("0.000", CultureInfo.InvariantCulture),
                    row.P90Ms.ToString("0.000", CultureInfo.InvariantCulture),
                    (row.MedianMs / row.BatchSize).ToString("0.0000", CultureInfo.InvariantCulture),
                    (row.MedianMs / engine.MedianMs).ToString("0.00", CultureInfo.InvariantCulture) + "×",
                    row.MaxAbsDifference.ToString("G3", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            foreach (var row in result.Rows.Where(r => r.Phases.Count > 0))
            {
                AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"B = {row.BatchSize}, {row.Runtime} phases (mean ms per batch): {string.Join(", ", row.Phases.Select(p => $"{p.Phase} {p.Ms:0.000}"))}")));
            }

            return 0;
        }));
        return command;
    }
}
