using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rerank.Runtime.IO;

namespace Rerank.Benchmarks;

/// <summary>
/// The PyTorch rows of <c>rerank bench gpu</c>: where <c>python3 -c "import torch; assert torch.cuda.is_available()"</c>
/// succeeds, runs the bundled nar4rec_bench.py (the same network, no_grad, same B/N/L) as a subprocess — eager, or with
/// forward and decoding captured once as a CUDA graph and replayed (<c>--graphs</c>, torch.cuda.graph) — and reads its
/// one JSON line. The interpreter is $RERANK_PYTHON, else python3.
/// </summary>
public static class PyTorchBench
{
    /// <summary>The environment variable naming the Python interpreter (default: python3).</summary>
    public const string PythonVariable = "RERANK_PYTHON";
    private const string ScriptResource = "Rerank.Benchmarks.nar4rec_bench.py";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The interpreter: $RERANK_PYTHON, else python3.</summary>
    public static string Python => Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } p ? p : "python3";

    /// <summary>The bundled script's text.</summary>
    public static string Script()
    {
        using var stream = typeof(PyTorchBench).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"The embedded script '{ScriptResource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The row name: "pytorch eager" or "pytorch cuda graphs".</summary>
    public static string Name(bool graphs) => graphs ? "pytorch cuda graphs" : "pytorch eager";

    /// <summary>The PyTorch row (eager, or CUDA graphs) for <paramref name="o"/>'s B, N and L, or a row saying why it did not run (no PyTorch with CUDA, the script failed).</summary>
    public static GpuBenchmarkRow Run(GpuBenchmarkOptions o, bool graphs = false)
    {
        var (probeOk, probeOutput) = Exec(Python, ["-c", "import torch; assert torch.cuda.is_available()"], ProbeTimeout);
        if (!probeOk)
        {
            return Missing(Name(graphs), $"no PyTorch with CUDA ({Python}: {LastLine(probeOutput)})");
        }

        var dir = Directory.CreateTempSubdirectory("rerank-torch-").FullName;
        try
        {
            var script = Path.Combine(dir, "nar4rec_bench.py");
            AtomicFile.WriteAllText(script, Script());
            var inv = CultureInfo.InvariantCulture;
            List<string> args = [
                script, "--batch", o.Batch.ToString(inv), "--candidates", o.Candidates.ToString(inv), "--slate-size", o.SlateSize.ToString(inv),
                "--min-seconds", o.MinSeconds.ToString(inv), "--min-iterations", o.MinIterations.ToString(inv), "--warmup", o.WarmupIterations.ToString(inv),
                "--seed", o.Seed.ToString(inv)];
            if (graphs)
            {
                args.Add("--graphs");
            }

            var (ok, output) = Exec(Python, args, RunTimeout);
            return ok ? Parse(LastLine(output)) : Missing(Name(graphs), $"nar4rec_bench.py{(graphs ? " --graphs" : string.Empty)} failed: {LastLine(output)}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Reads the script's JSON line into a row (named by its "backend" field; "pytorch eager" without one).</summary>
    public static GpuBenchmarkRow Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            var note = r.TryGetProperty("note", out var n) ? n.GetString() ?? string.Empty : string.Empty;
            var name = r.TryGetProperty("backend", out var b) ? b.GetString() ?? Name(false) : Name(false);
            if (!r.GetProperty("ran").GetBoolean())
            {
                return Missing(name, note);
            }

            return new GpuBenchmarkRow(name, r.GetProperty("device").GetString() ?? "cuda", true, r.GetProperty("iterations").GetInt32(), r.GetProperty("ms_per_batch").GetDouble(), r.GetProperty("requests_per_s").GetDouble(), note);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Missing(Name(false), $"unreadable output from nar4rec_bench.py: '{json}'");
        }
    }

    private static GpuBenchmarkRow Missing(string name, string why) => new(name, "-", false, 0, 0, 0, why);

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    private static (bool Ok, string Output) Exec(string file, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (false, $"timed out after {timeout.TotalSeconds:F0} s");
            }

            var output = stdout.Result + "\n" + stderr.Result;
            return (process.ExitCode == 0, process.ExitCode == 0 ? stdout.Result : output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, $"cannot run {file}: {e.Message}");
        }
    }
}
