using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary>
/// <c>rerank run</c> as a process: names never escape <c>out/</c>, failed pipelines leave the other rows, file contents
/// never reach an error; <c>seeds:</c> and <c>compare_to</c> print mean ± std and the differences with their intervals.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private const string Small = """
        seed: 3
        dataset:
          type: simulator
          params: { candidates: 6, slate_size: 3, train_requests: 30, validation_requests: 20, test_requests: 20 }
        evaluation: { hit_rate_lists: 100, latency_requests: 2, warmup_requests: 1 }

        """;

    private readonly string _root = Directory.CreateTempSubdirectory("rerank-run-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Run_NameEscapingTheOutputFolder_RefusedAndNothingWritten()
    {
        // Run from root/w1/w2/w3 without --out: out/../../../../tmp/escaped-exp would be root/tmp/escaped-exp.
        var work = Directory.CreateDirectory(Path.Combine(_root, "w1", "w2", "w3")).FullName;
        var target = Path.GetFullPath(Path.Combine(work, "out", "../../../../tmp/escaped-exp"));
        target.ShouldBe(Path.Combine(_root, "tmp", "escaped-exp"));
        File.WriteAllText(Path.Combine(work, "e.yaml"), "name: ../../../../tmp/escaped-exp\n" + Small + "pipelines:\n  - { name: initial, stages: [ { generate: { use: baselines/initial } } ] }\n");

        var result = RerankProcess.Run(work, "run", "e.yaml");

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.Trim().ShouldBe("error: e.yaml:1:7: experiment: name '../../../../tmp/escaped-exp' is not an identifier: use letters, digits and . _ + - (at most 64, starting with a letter or digit)");
        Directory.Exists(Path.Combine(_root, "tmp")).ShouldBeFalse();
        Directory.Exists(Path.Combine(work, "out")).ShouldBeFalse();
    }

    [Fact]
    public void Run_SeedsAndCompareTo_TablesShowMeanStdAndIntervalsSameOutputTwice()
    {
        var work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        File.WriteAllText(Path.Combine(work, "e.yaml"), "name: seeded\n" + Small.Replace("seed: 3", "seeds: [3, 4]", StringComparison.Ordinal)
            .Replace("warmup_requests: 1", "warmup_requests: 1, compare_to: initial", StringComparison.Ordinal) + """
            pipelines:
              - { name: initial, stages: [ { generate: { use: baselines/initial } }, { truncate: {} } ] }
              - { name: random, stages: [ { generate: { use: baselines/random } } ] }
            """);

        var first = RerankProcess.Run(work, "run", "e.yaml", "--out", "a");
        var second = RerankProcess.Run(work, "run", "e.yaml", "--out", "b");

        first.ExitCode.ShouldBe(0, first.Stderr);
        first.Stdout.ShouldContain("seeded (mean ± std over 2 seeds)");
        first.Stdout.ShouldContain("difference to initial, 95% bootstrap interval over requests");
        first.Stdout.ShouldContain(" ± ");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "a", "results.json")));
        json.RootElement.GetProperty("seeds").EnumerateArray().Select(e => e.GetUInt64()).ShouldBe([3UL, 4UL]);
        var difference = json.RootElement.GetProperty("rows")[1].GetProperty("difference").GetProperty("utility");
        difference.GetProperty("requests").GetInt32().ShouldBe(40);
        difference.GetProperty("high").GetDouble().ShouldBeLessThan(0);
        string Differences(string folder) => string.Join("\n", JsonDocument.Parse(File.ReadAllText(Path.Combine(work, folder, "results.json"))).RootElement
            .GetProperty("rows").EnumerateArray().Select(r => r.TryGetProperty("difference", out var d) ? d.GetRawText() : "-"));
        Differences("b").ShouldBe(Differences("a"), "same config, same intervals");
    }

    [Fact]
    public void Run_CompareToTwoReferences_ATablePerReferenceAndReportPrintsEach()
    {
        var work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        File.WriteAllText(Path.Combine(work, "e.yaml"), "name: refs\n" + Small
            .Replace("warmup_requests: 1", "warmup_requests: 1, compare_to: [initial, random]", StringComparison.Ordinal) + """
            pipelines:
              - { name: initial, stages: [ { generate: { use: baselines/initial } }, { truncate: {} } ] }
              - { name: random, stages: [ { generate: { use: baselines/random } } ] }
            """);

        var run = RerankProcess.Run(work, "run", "e.yaml", "--out", "a");
        var toRandom = RerankProcess.Run(work, "report", "a", "--markdown", "--differences", "random", "--columns", "pipeline,utility");

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldContain("difference to initial, 95% bootstrap interval over requests");
        run.Stdout.ShouldContain("difference to random, 95% bootstrap interval over requests");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "a", "results.json")));
        json.RootElement.GetProperty("compare_to").GetProperty("pipelines").EnumerateArray().Select(e => e.GetString()).ShouldBe(["initial", "random"]);
        var initial = json.RootElement.GetProperty("rows")[0].GetProperty("differences");
        initial.EnumerateObject().Select(p => p.Name).ShouldBe(["random"]);
        var utility = initial.GetProperty("random").GetProperty("utility");
        utility.GetProperty("low").GetDouble().ShouldBeGreaterThan(0, "the prior order beats random lists");
        toRandom.ExitCode.ShouldBe(0, toRandom.Stderr);
        var mean = ResultWritersSigned(utility.GetProperty("mean").GetDouble());
        toRandom.Stdout.ShouldStartWith($"| pipeline | utility |\n|---|---:|\n| initial | {mean} [");
        toRandom.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(3, "only the initial row differs from random");
        File.ReadAllText(Path.Combine(work, "a", "results.md")).ShouldContain("## Difference to random");
    }

    private static string ResultWritersSigned(double value) => (value > 0 ? "+" : "") + value.ToString("F4", CultureInfo.InvariantCulture);

    [Fact]
    public void Run_SetOverridesDatasetParams_ThePresetAndAKeyReachResultsJson()
    {
        var work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        File.WriteAllText(Path.Combine(work, "e.yaml"), "name: regimes\n" + Small + "pipelines:\n  - { name: initial, stages: [ { generate: { use: baselines/initial } }, { truncate: {} } ] }\n");

        var result = RerankProcess.Run(work, "run", "e.yaml", "--out", "rich", "--set", "preset=rich", "--set", "test_requests=12");

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "rich", "results.json")));
        var dataset = json.RootElement.GetProperty("dataset");
        dataset.GetProperty("preset").GetString().ShouldBe("rich");
        dataset.GetProperty("complementarity").GetDouble().ShouldBe(2.0);
        dataset.GetProperty("test_requests").GetInt32().ShouldBe(12);
        dataset.GetProperty("candidates").GetInt32().ShouldBe(6, "keys not overridden keep the experiment's values");
    }

    [Fact]
    public void Run_Set_TrainsIntoItsOwnCheckpointFolder_TheFilesCheckpointUntouched()
    {
        // Checkpoints trained on the file's data must not be loaded (or overwritten) by a run on other data.
        var work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        File.WriteAllText(Path.Combine(work, "e.yaml"), "name: ckpt\n" + Small + """
            pipelines:
              - name: pointwise
                stages:
                  - generate:
                      scorer: { use: baselines/dnn, checkpoint: ck/dnn.safetensors, params: { epochs: 1 } }
                      decoder: baselines/greedy
            """);

        var plain = RerankProcess.Run(work, "run", "e.yaml", "--out", "a");
        plain.ExitCode.ShouldBe(0, plain.Stderr);
        var original = Path.Combine(work, "ck", "dnn.safetensors");
        var bytes = File.ReadAllBytes(original);

        var rich = RerankProcess.Run(work, "run", "e.yaml", "--out", "b", "--set", "preset=rich");

        rich.ExitCode.ShouldBe(0, rich.Stderr);
        rich.Stdout.ShouldNotContain("loaded");
        File.Exists(Path.Combine(work, "ck", "set-preset-rich", "dnn.safetensors")).ShouldBeTrue();
        File.ReadAllBytes(original).ShouldBe(bytes);
        var again = RerankProcess.Run(work, "run", "e.yaml", "--out", "c", "--set", "preset=rich");
        again.Stdout.ShouldContain(Path.Combine("ck", "set-preset-rich", "dnn.safetensors"), customMessage: "the same overrides find their own checkpoint");
    }

    [Fact]
    public void Run_SetBadValue_ErrorNamesTheOverrideAndExitTwo()
    {
        var work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        File.WriteAllText(Path.Combine(work, "e.yaml"), "name: regimes\n" + Small + "pipelines:\n  - { name: initial, stages: [ { generate: { use: baselines/initial } } ] }\n");

        var bad = RerankProcess.Run(work, "run", "e.yaml", "--set", "preset=lush");
        var malformed = RerankProcess.Run(work, "run", "e.yaml", "--set", "preset");

        bad.ExitCode.ShouldBe(2, bad.Stderr);
        bad.Stderr.ShouldContain("--set preset=lush: dataset (simulator): params.preset: 'lush' is not one of default, rich, no_effects");
        malformed.ExitCode.ShouldBe(2, malformed.Stderr);
        malformed.Stderr.ShouldContain("--set preset: expected key=value");
        Directory.Exists(Path.Combine(work, "out")).ShouldBeFalse();
    }

    [Fact]
    public void Run_OnePipelineThrows_OtherRowsWrittenFailedOneMarkedExitOne()
    {
        var work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        File.WriteAllText(Path.Combine(work, "e.yaml"), "name: partial\n" + Small + """
            pipelines:
              - { name: greet, stages: [ { generate: { use: greeter@1/greet } } ] }
              - { name: boom, stages: [ { generate: { use: throwing-component/boom } } ] }
              - { name: greet-again, stages: [ { generate: { use: greeter@1/greet } }, { truncate: {} } ] }
            """);

        var result = RerankProcess.Run(work, "run", "e.yaml", "--plugins", FixturePlugins.Folder);

        result.ExitCode.ShouldBe(1, result.Stderr);
        const string error = "pipeline 'boom', stage 1 (generate: generator=throwing-component@1.0.0/boom (count 1)): InvalidOperationException: fixture failure: boom at run time";
        result.Stderr.ShouldContain($"error: boom failed: {error}");
        result.Stdout.ShouldContain("wrote out/partial/results.json");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "out", "partial", "results.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => (r.GetProperty("pipeline").GetString(), r.GetProperty("status").GetString())).ShouldBe([("greet", "ok"), ("boom", "failed"), ("greet-again", "ok")]);
        rows[1].GetProperty("error").GetString().ShouldBe(error);
        rows[0].GetProperty("metrics").GetProperty("utility").GetDouble().ShouldBeGreaterThan(0);
        File.ReadAllText(Path.Combine(work, "out", "partial", "results.csv")).ShouldContain("failed,");
        File.ReadAllText(Path.Combine(work, "out", "partial", "results.md")).ShouldContain("- **boom**: " + error);
        File.ReadAllText(Path.Combine(work, "out", "partial", "report.html")).ShouldContain("fixture failure: boom at run time");
    }

    [Fact]
    public void Run_CheckpointThatIsAForeignFile_ErrorWithoutItsContents()
    {
        var work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        File.WriteAllText(Path.Combine(work, "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        var firstBytes = BinaryPrimitives.ReadUInt64LittleEndian(Encoding.ASCII.GetBytes("root:x:0")).ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(work, "e.yaml"), "name: foreign\n" + Small + """
            pipelines:
              - name: dnn
                stages: [ { generate: { scorer: { use: baselines/dnn, checkpoint: passwd }, decoder: baselines/greedy } } ]
            """);

        var result = RerankProcess.Run(work, "run", "e.yaml");

        result.ExitCode.ShouldBe(1, result.Stderr);
        result.Stderr.ShouldContain($"is not a safetensors file (header length field out of range)");
        foreach (var text in new[] { result.Stderr, result.Stdout, File.ReadAllText(Path.Combine(work, "out", "foreign", "results.json")) })
        {
            text.ShouldNotContain("root:");
            text.ShouldNotContain("bash");
            text.ShouldNotContain(firstBytes);
        }
    }
}
