using System.CommandLine;
using System.Globalization;
using Rerank.Benchmarks;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank bench engine</c>: SGEMM, attention, and a 2-layer encoder's inference (B = 256 and 1) and training step against
/// the targets, each as a fraction of the FMA peak measured in the same run, and the train-step / inference-batch ratio.
/// </summary>
internal static class BenchEngineCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Minimum measured time per case.", DefaultValueFactory = _ => 1.0 }.Seconds(3600);
        var threads = new Option<int?>("--threads") { Description = "Kernel threads (default: all cores)." }.InRange(new(1, 1024));
        var command = new Command("engine", "Benchmark the numeric engine: SGEMM GFLOP/s at 64…1024, attention forward, 2-layer encoder inference (B = 256 and 1) and training step, as fractions of the measured FMA peak, and the train/inference ratio.");
        command.Options.Add(seconds);
        command.Options.Add(threads);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var rows = EngineBenchmark.Run(new EngineBenchmarkOptions(Threads: parse.GetValue(threads), MinSecondsPerCase: parse.GetValue(seconds)));
            var table = new Table().AddColumns("case", "value", "unit", "target", "met", "note");
            foreach (var row in rows)
            {
                table.AddRow(
                    Markup.Escape(row.Case),
                    row.Value.ToString("0.###", CultureInfo.InvariantCulture),
                    Markup.Escape(row.Unit),
                    Markup.Escape(row.Target),
                    row.Met switch { true => "[green]yes[/]", false => "[red]no[/]", null => "" },
                    Markup.Escape(row.Note));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
