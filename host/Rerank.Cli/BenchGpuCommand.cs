using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rerank.Benchmarks;
using Rerank.Runtime.IO;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank bench gpu</c>: NAR4Rec generator inference throughput (default B = 1024, N = 60, L = 6) on the engine's CPU
/// backend, its CUDA backend eager and replaying CUDA graphs, and PyTorch eager and with CUDA graphs on the same GPU where
/// one is installed; targets ≥ 20× CPU and ≥ 1.0× PyTorch eager (eager engine), and with graphs ≥ 3× PyTorch eager up to
/// B = 256 and ≥ 1.5× PyTorch's CUDA graphs from B = 1024.
/// </summary>
internal static class BenchGpuCommand
{
    public const double CpuTarget = 20.0;
    public const double PyTorchTarget = 1.0;
    public const double SmallBatchEagerTarget = 3.0;
    public const double LargeBatchGraphsTarget = 1.5;

    public static Command Create()
    {
        var batch = new Option<int>("--batch", "-b") { Description = "B, requests per batch.", DefaultValueFactory = _ => 1024 }.InRange(new(1, 65_536));
        var candidates = new Option<int>("--candidates", "-n") { Description = "N, candidates per request.", DefaultValueFactory = _ => 60 }.InRange(new(1, 10_000));
        var slate = new Option<int>("--slate-size", "-l") { Description = "L, the slate size (≤ 10).", DefaultValueFactory = _ => 6 }.InRange(new(1, 10));
        var seconds = new Option<double>("--seconds") { Description = "Minimum measured time per backend.", DefaultValueFactory = _ => 2.0 }.Seconds(3600);
        var noTorch = new Option<bool>("--no-pytorch") { Description = "Skip the PyTorch row." };
        var output = new Option<FileInfo?>("--out") { Description = "Also write the rows as JSON to this file." };
        var cudaPath = GpuCommand.CudaPathOption();
        var command = new Command("gpu", "NAR4Rec generator inference throughput: engine CPU vs engine CUDA (eager and CUDA graphs) vs PyTorch (eager and CUDA graphs) on the same GPU (B = 1024, N = 60, L = 6).");
        foreach (var option in new Option[] { batch, candidates, slate, seconds, noTorch, output, cudaPath })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CliErrors.Guard(() =>
        {
            Engine.Cuda.SearchPath = parse.GetValue(cudaPath);
            var options = new GpuBenchmarkOptions(parse.GetValue(batch), parse.GetValue(candidates), parse.GetValue(slate), MinSeconds: parse.GetValue(seconds));
            List<GpuBenchmarkRow> rows;
            try
            {
                rows = [.. GpuBenchmark.Run(options)];
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException(e.Message);
            }

            var gpuRan = rows.Any(r => r.Backend == "engine cuda" && r.Ran);
            foreach (var graphs in new[] { false, true })
            {
                var name = PyTorchBench.Name(graphs);
                rows.Add(parse.GetValue(noTorch)
                    ? new GpuBenchmarkRow(name, "-", false, 0, 0, 0, "skipped (--no-pytorch)")
                    : gpuRan ? PyTorchBench.Run(options, graphs) : new GpuBenchmarkRow(name, "-", false, 0, 0, 0, "not run: no GPU for the engine either"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench gpu: NAR4Rec generator (d = 32, 4 heads, FFN 64, 1 + 1 layers), B = {options.Batch}, N = {options.Candidates}, L = {options.SlateSize}; one batch = features in → slates out"));
            AnsiConsole.Write(Table(rows));
            foreach (var line in Verdicts(rows, options.Batch))
            {
                Console.WriteLine(line);
            }

            if (parse.GetValue(output) is { } file)
            {
                AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(rows, GpuBenchJsonContext.Default.ListGpuBenchmarkRow));
            }

            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The speed-up lines against the targets (GPU vs CPU ≥ 20×, GPU vs PyTorch eager ≥ 1.0×; with graphs, ≥ 3× PyTorch
    /// eager for B ≤ 256 and ≥ 1.5× PyTorch's CUDA graphs for B ≥ 1024), or why a ratio is missing.
    /// </summary>
    public static IReadOnlyList<string> Verdicts(IReadOnlyList<GpuBenchmarkRow> rows, int batch)
    {
        var inv = CultureInfo.InvariantCulture;
        GpuBenchmarkRow? Row(string name) => rows.FirstOrDefault(r => r.Backend == name);
        var cpu = Row("engine cpu");
        var gpu = Row("engine cuda");
        var graphs = Row("engine cuda graphs");
        var torch = Row(PyTorchBench.Name(false));
        var torchGraphs = Row(PyTorchBench.Name(true));
        if (gpu is null || !gpu.Ran)
        {
            return [$"GPU row missing: {gpu?.Note ?? "not measured"}"];
        }

        var lines = new List<string>();
        string Ratio(GpuBenchmarkRow a, GpuBenchmarkRow b, double? target)
        {
            var x = a.RequestsPerSecond / b.RequestsPerSecond;
            var verdict = target is { } t ? string.Create(inv, $" (target ≥ {t:0.0#}×: {(x >= t ? "met" : "not met")})") : string.Empty;
            return string.Create(inv, $"{a.Backend} vs {b.Backend}: {x:F2}×{verdict}");
        }

        if (cpu is { Ran: true })
        {
            lines.Add(Ratio(gpu, cpu, CpuTarget));
        }

        if (graphs is { Ran: true })
        {
            lines.Add(Ratio(graphs, gpu, null));
        }

        if (torch is { Ran: true })
        {
            lines.Add(Ratio(gpu, torch, PyTorchTarget));
            if (graphs is { Ran: true })
            {
                lines.Add(Ratio(graphs, torch, batch <= 256 ? SmallBatchEagerTarget : null));
            }
        }
        else
        {
            lines.Add($"PyTorch row missing: {torch?.Note ?? "not measured"}");
        }

        if (torchGraphs is { Ran: true })
        {
            if (graphs is { Ran: true })
            {
                lines.Add(Ratio(graphs, torchGraphs, batch >= 1024 ? LargeBatchGraphsTarget : null));
            }
        }
        else
        {
            lines.Add($"PyTorch CUDA graphs row missing: {torchGraphs?.Note ?? "not measured"}");
        }

        return lines;
    }

    private static Table Table(IReadOnlyList<GpuBenchmarkRow> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("backend", "device", "batches", "ms/batch", "requests/s", "note");
        foreach (var r in rows)
        {
            table.AddRow(
                Markup.Escape(r.Backend),
                Markup.Escape(r.Device),
                r.Ran ? r.Iterations.ToString(inv) : "-",
                r.Ran ? r.MillisecondsPerBatch.ToString("F2", inv) : "-",
                r.Ran ? r.RequestsPerSecond.ToString("F0", inv) : "-",
                Markup.Escape(r.Note));
        }

        return table;
    }
}
