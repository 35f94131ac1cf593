namespace Rerank.Host.Tests.Cli;

/// <summary><c>rerank run</c> as a process: names never escape <c>out/</c>.</summary>
public sealed class RunCommandTests : IDisposable
{
    private const string Small = """
        seed: 3
        dataset:
          type: simulator
          params: { candidates: 6, slate_size: 3, train_requests: 30, validation_requests: 20, test_requests: 20 }
        evaluation: { hit_rate_lists: 100, latency_requests: 2, warmup_requests: 1 }

        """;

    private readonly string root = Directory.CreateTempSubdirectory("rerank-run-cli-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Run_NameEscapingTheOutputFolder_RefusedAndNothingWritten()
    {
        // Run from root/w1/w2/w3 without --out: out/../../../../tmp/escaped-exp would be root/tmp/escaped-exp.
        var work = Directory.CreateDirectory(Path.Combine(root, "w1", "w2", "w3")).FullName;
        var target = Path.GetFullPath(Path.Combine(work, "out", "../../../../tmp/escaped-exp"));
        target.ShouldBe(Path.Combine(root, "tmp", "escaped-exp"));
        File.WriteAllText(Path.Combine(work, "e.yaml"), "name: ../../../../tmp/escaped-exp\n" + Small + "pipelines:\n  - { name: initial, stages: [ { generate: { use: baselines/initial } } ] }\n");

        var result = RerankProcess.Run(work, "run", "e.yaml");

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.Trim().ShouldBe("error: e.yaml:1:7: experiment: name '../../../../tmp/escaped-exp' is not an identifier: use letters, digits and . _ + - (at most 64, starting with a letter or digit)");
        Directory.Exists(Path.Combine(root, "tmp")).ShouldBeFalse();
        Directory.Exists(Path.Combine(work, "out")).ShouldBeFalse();
    }
}
