using System.Globalization;
using System.Text.RegularExpressions;

namespace Rerank.Cli.Tests;

/// <summary><c>rerank bench onnx</c> as a process: the same trained scorer on the engine and on ONNX Runtime, side by side; its errors.</summary>
public sealed partial class BenchOnnxCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-bench-onnx-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void BenchOnnx_Nar4RecGenerator_BothRuntimesAtEachBatchSize_OutputsAgree()
    {
        var result = RerankProcess.Run(
            _folder, "bench", "onnx", "--batch-sizes", "1,4", "--candidates", "8", "--slate", "3", "--iterations", "2", "--warmup", "1", "--train-lists", "20",
            "--params", "{ dimension: 8, heads: 2, feed_forward: 16, field_width: 4, epochs: 1 }", "--threads", "1");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("nar4rec@1.0.0/generator exported to ONNX (");
        result.Stdout.ShouldContain("position_log_probs); N = 8, L = 3, 1 CPU thread(s)");
        var rows = Row().Matches(result.Stdout).Select(m => (B: m.Groups["b"].Value, Runtime: m.Groups["runtime"].Value.Trim(), Diff: double.Parse(m.Groups["diff"].Value, CultureInfo.InvariantCulture))).ToList();
        rows.Select(r => $"{r.B} {r.Runtime}").ShouldBe(["1 engine (cpu)", "1 onnx runtime (cpu)", "4 engine (cpu)", "4 onnx runtime (cpu)"]);
        rows.Where(r => r.Runtime == "engine (cpu)").ShouldAllBe(r => r.Diff == 0);
        rows.Where(r => r.Runtime == "onnx runtime (cpu)").ShouldAllBe(r => r.Diff > 0 && r.Diff <= 1e-4);
        result.Stdout.ShouldContain("B = 4, engine (cpu) phases (mean ms per batch): candidate features");
    }

    [Fact]
    public void BenchOnnx_ComponentWithoutExportOrBadBatchSizes_OneClearError()
    {
        var component = RerankProcess.Run(_folder, "bench", "onnx", "--component", "baselines@^1.0/oracle", "--batch-sizes", "1", "--train-lists", "5");
        var sizes = RerankProcess.Run(_folder, "bench", "onnx", "--batch-sizes", "1,x");

        component.ExitCode.ShouldBe(2);
        component.Stderr.ShouldContain("error: 'baselines@^1.0/oracle' (baselines@1.0.0/oracle) has no ONNX export");
        sizes.ExitCode.ShouldBe(2);
        sizes.Stderr.ShouldContain("--batch-sizes: 'x' is not a batch size");
    }

    [Fact]
    public void BenchOnnx_CudaWithoutGpu_OneErrorSayingWhy()
    {
        if (Rerank.Engine.Cuda.TryInitialize(out _))
        {
            return; // a GPU host times the CUDA rows (scripts/gpu-publish.sh)
        }

        var result = RerankProcess.Run(_folder, "bench", "onnx", "--cuda", "--batch-sizes", "1", "--train-lists", "5", "--params", "{ dimension: 8, heads: 2, epochs: 1 }");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error: --cuda: no usable GPU here (");
    }

    [GeneratedRegex(@"│\s*(?<b>\d+)\s*│(?<runtime>[^│]+)│[^│]+│[^│]+│[^│]+│[^│]+│\s*(?<diff>[0-9.Ee+-]+)\s*│")]
    private static partial Regex Row();
}
