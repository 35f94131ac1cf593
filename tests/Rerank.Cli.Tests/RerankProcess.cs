using System.Diagnostics;
using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary>Runs the real <c>rerank</c> executable (the host's build output beside the tests) and captures what it prints.</summary>
internal static class RerankProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rerank.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RERANK_PLUGINS"] = Path.Combine(RepoPaths.Root, "artifacts", "plugins");
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rerank {string.Join(' ', args)} did not finish in 3 minutes");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
