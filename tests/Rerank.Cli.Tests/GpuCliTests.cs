using System.Text.Json;
using Rerank.Engine;

namespace Rerank.Cli.Tests;

/// <summary><c>rerank gpu info|check</c>, <c>rerank bench gpu</c> and <c>device: cuda</c> through the real executable.</summary>
public sealed class GpuCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-gpu-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static bool HasGpu => Cuda.TryInitialize(out _);

    [Fact]
    public void GpuInfo_Always_ListsTheThreeLibrariesAndExitsZero()
    {
        var result = RerankProcess.Run(_folder, "gpu", "info");
        result.ExitCode.ShouldBe(0, result.Stderr);
        foreach (var lib in new[] { "libcuda", "libnvrtc", "libcublas" })
        {
            result.Stdout.ShouldContain(lib);
        }

        if (!HasGpu)
        {
            result.Stdout.ShouldContain("no GPU: ");
        }
    }

    [Fact]
    public void GpuCheck_NoGpu_ExitsThreeWithTheReason()
    {
        if (HasGpu)
        {
            return; // a GPU host runs the kernel checks (Rerank.Engine.Tests CudaSelfTestTests)
        }

        var result = RerankProcess.Run(_folder, "gpu", "check", "--cuda-path", "/nonexistent/cuda");
        result.ExitCode.ShouldBe(3);
        result.Stderr.ShouldContain("no GPU: ");
        result.Stderr.ShouldContain("/nonexistent/cuda");
        result.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public void BenchGpu_SmallBatch_PrintsCpuRowAndWritesJson()
    {
        var output = Path.Combine(_folder, "bench.json");
        var result = RerankProcess.Run(_folder, "bench", "gpu", "-b", "8", "--seconds", "0.05", "--no-pytorch", "--out", output);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("engine cpu");
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var rows = json.RootElement.EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("backend").GetString()).ShouldBe(["engine cpu", "engine cuda", "engine cuda graphs", "pytorch eager", "pytorch cuda graphs"]);
        rows[0].GetProperty("ran").GetBoolean().ShouldBeTrue();
        rows[0].GetProperty("requests_per_second").GetDouble().ShouldBeGreaterThan(0);
        if (!HasGpu)
        {
            result.Stdout.ShouldContain("GPU row missing: no GPU: ");
            rows[1].GetProperty("ran").GetBoolean().ShouldBeFalse();
        }
    }

    [Fact]
    public void BenchGpu_SlateLongerThanPositions_IsBadInput()
    {
        var result = RerankProcess.Run(_folder, "bench", "gpu", "-l", "11", "--no-pytorch");
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("--slate-size: must be in [1, 10], got 11");
    }

    [Fact]
    public void Validate_UnknownDevice_NamesItAndTheKnownOnes()
    {
        var path = Path.Combine(_folder, "p.yaml");
        File.WriteAllText(path, "name: p\nstages:\n  - generate: { use: baselines/initial, device: tpu }\n");
        var result = RerankProcess.Run(_folder, "validate", path);
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("device 'tpu' is not one of cpu, cuda");
        result.Stderr.ShouldContain("p.yaml:3:");
    }

    [Fact]
    public void Run_Nar4RecGeneratorToEvaluatorOnCuda_RunsAndFallsBackToCpuWithoutGpu()
    {
        var experiment = Path.Combine(_folder, "e.yaml");
        File.WriteAllText(experiment, """
            name: gpu-pipeline
            seed: 5
            dataset:
              type: simulator
              params: { candidates: 10, slate_size: 4, train_requests: 40, validation_requests: 10, test_requests: 20 }
            evaluation: { hit_rate_lists: 100, latency_requests: 4, warmup_requests: 1 }
            pipelines:
              - name: nar4rec-gpu
                stages:
                  - generate:
                      use: nar4rec@^1.0/generator
                      device: cuda
                      params: { epochs: 1, dimension: 8, heads: 2, feed_forward: 16, field_width: 4, alphas: [0.0, 0.2] }
                      count: 2
                  - evaluate: { use: nar4rec@^1.0/evaluator, device: cuda, params: { epochs: 1, dimension: 8, heads: 2, feed_forward: 16, field_width: 4 } }
            """);
        var result = RerankProcess.Run(_folder, "run", experiment, "--out", Path.Combine(_folder, "out"));
        result.ExitCode.ShouldBe(0, result.Stderr + result.Stdout);
        File.Exists(Path.Combine(_folder, "out", "results.json")).ShouldBeTrue();
        if (!HasGpu)
        {
            var notices = result.Stderr.Split('\n').Where(l => l.Contains("device: cuda requested", StringComparison.Ordinal)).ToList();
            notices.Count.ShouldBe(1, result.Stderr);
            notices[0].ShouldContain("no GPU: ");
            notices[0].ShouldContain("running on the CPU backend");
        }
    }
}
