using Rerank.Benchmarks;
using Shouldly;
using Xunit;

namespace Rerank.Cli.Tests;

/// <summary>The lines <c>rerank bench gpu</c> prints against its targets, from given rows (no GPU needed).</summary>
public sealed class BenchGpuVerdictTests
{
    [Fact]
    public void SmallBatch_JudgesGraphsAgainstPyTorchEager()
    {
        var lines = BenchGpuCommand.Verdicts(Rows(cpu: 1_000, cuda: 20_000, graphs: 80_000, torch: 20_000, torchGraphs: 60_000), batch: 64);
        lines.ShouldContain("engine cuda vs engine cpu: 20.00× (target ≥ 20.0×: met)");
        lines.ShouldContain("engine cuda graphs vs engine cuda: 4.00×");
        lines.ShouldContain("engine cuda graphs vs pytorch eager: 4.00× (target ≥ 3.0×: met)");
        lines.ShouldContain("engine cuda graphs vs pytorch cuda graphs: 1.33×"); // no target below B = 1024
    }

    [Fact]
    public void LargeBatch_JudgesGraphsAgainstPyTorchGraphs()
    {
        var lines = BenchGpuCommand.Verdicts(Rows(cpu: 1_000, cuda: 20_000, graphs: 30_000, torch: 10_000, torchGraphs: 25_000), batch: 1024);
        lines.ShouldContain("engine cuda graphs vs pytorch eager: 3.00×");
        lines.ShouldContain("engine cuda graphs vs pytorch cuda graphs: 1.20× (target ≥ 1.5×: not met)");
    }

    [Fact]
    public void MissingRows_SayWhy()
    {
        var rows = Rows(cpu: 1_000, cuda: 20_000, graphs: 30_000, torch: 0, torchGraphs: 0);
        var lines = BenchGpuCommand.Verdicts(rows, batch: 1024);
        lines.ShouldContain("PyTorch row missing: no torch");
        lines.ShouldContain("PyTorch CUDA graphs row missing: no torch");
        BenchGpuCommand.Verdicts([rows[0]], 1024).ShouldBe(["GPU row missing: not measured"]);
    }

    [Fact]
    public void PyTorchLine_IsNamedByItsBackendField()
    {
        PyTorchBench.Parse("""{"ran": true, "backend": "pytorch cuda graphs", "device": "H200", "iterations": 5, "ms_per_batch": 0.5, "requests_per_s": 2000, "note": "n"}""")
            .ShouldBe(new GpuBenchmarkRow("pytorch cuda graphs", "H200", true, 5, 0.5, 2000, "n"));
        PyTorchBench.Parse("""{"ran": false, "note": "torch.cuda.is_available() is False"}""").Backend.ShouldBe("pytorch eager");
        PyTorchBench.Parse("not json").Note.ShouldContain("unreadable output");
    }

    private static List<GpuBenchmarkRow> Rows(double cpu, double cuda, double graphs, double torch, double torchGraphs)
    {
        GpuBenchmarkRow Row(string name, double rps) => rps > 0
            ? new GpuBenchmarkRow(name, "d", true, 10, 1, rps, string.Empty)
            : new GpuBenchmarkRow(name, "-", false, 0, 0, 0, "no torch");
        return [Row("engine cpu", cpu), Row("engine cuda", cuda), Row("engine cuda graphs", graphs), Row("pytorch eager", torch), Row("pytorch cuda graphs", torchGraphs)];
    }
}
