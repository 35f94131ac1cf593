using System.CommandLine;
using System.Globalization;
using Rerank.Engine;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary><c>rerank gpu info</c> (what CUDA pieces were found) and <c>rerank gpu check</c> (every kernel against the CPU backend).</summary>
internal static class GpuCommand
{
    public static Command Create()
    {
        var command = new Command("gpu", "Inspect and check the CUDA backend.");
        command.Subcommands.Add(CreateInfo());
        command.Subcommands.Add(CreateCheck());
        return command;
    }

    /// <summary>The shared <c>--cuda-path</c> option: extra directories searched for libcuda, libnvrtc and libcublas.</summary>
    public static Option<string?> CudaPathOption() => new("--cuda-path")
    {
        Description = $"Extra ':'-separated directories to search for libcuda.so.1, libnvrtc and libcublas (also ${Cuda.SearchPathVariable}).",
    };

    private static Command CreateInfo()
    {
        var path = CudaPathOption();
        var command = new Command("info", "Print the CUDA libraries found (paths, versions), the device and its compute capability, or why there is no GPU.");
        command.Options.Add(path);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            Cuda.SearchPath = parse.GetValue(path);
            var info = Cuda.Describe();
            foreach (var line in Format(info))
            {
                Console.WriteLine(line);
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateCheck()
    {
        var path = CudaPathOption();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random inputs.", DefaultValueFactory = _ => 7 };
        var command = new Command("check", "Run every GPU kernel against the CPU backend on random inputs; exit 1 when one is outside its tolerance, 3 when there is no GPU.");
        command.Options.Add(path);
        command.Options.Add(seed);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            Cuda.SearchPath = parse.GetValue(path);
            if (!Cuda.TryInitialize(out var reason))
            {
                CliErrors.Error(reason);
                return NoGpu;
            }

            var results = CudaSelfTest.Run(parse.GetValue(seed));
            var inv = CultureInfo.InvariantCulture;
            var table = new Table().AddColumns("kernel", "max error", "tolerance", "pass");
            foreach (var r in results)
            {
                table.AddRow(
                    Markup.Escape(r.Kernel),
                    r.Error is null ? r.MaxError.ToString("0.##E+0", inv) : Markup.Escape(r.Error),
                    r.Tolerance.ToString("0.##E+0", inv),
                    r.Passed ? "[green]yes[/]" : "[red]NO[/]");
            }

            AnsiConsole.Write(table);
            var failed = results.Count(r => !r.Passed);
            Console.WriteLine($"{results.Count - failed} of {results.Count} kernel checks passed on {Cuda.Describe().DeviceName} (error = max |gpu − cpu| / max(1, |cpu|)).");
            return failed == 0 ? 0 : 1;
        }));
        return command;
    }

    /// <summary>The exit code of <c>gpu check</c> without a usable GPU.</summary>
    public const int NoGpu = 3;

    internal static IReadOnlyList<string> Format(CudaInfo info)
    {
        var lines = new List<string>();
        foreach (var lib in info.Libraries)
        {
            lines.Add(lib.Loaded ? $"{lib.Name,-10} {lib.Path}" : $"{lib.Name,-10} missing: {lib.Reason}");
        }

        if (info.NvrtcVersion is not null)
        {
            lines.Add($"nvrtc      version {info.NvrtcVersion}; targets {(info.NvrtcArchitectures.Count == 0 ? "(list needs NVRTC ≥ 11.2)" : string.Join(" ", info.NvrtcArchitectures.Select(a => $"compute_{a}")))}");
        }

        if (!info.Available)
        {
            lines.Add(info.Reason ?? "no GPU");
            return lines;
        }

        lines.Add($"driver     CUDA {info.DriverVersion}; cuBLAS {info.CublasVersion}");
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"device     cuda:0 {info.DeviceName}, compute capability {info.ComputeCapability}, {info.TotalMemory / (1024.0 * 1024 * 1024):F1} GiB; kernels compiled for {info.KernelArchitecture}"));
        return lines;
    }
}
