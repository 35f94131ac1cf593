using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary><c>rerank export onnx</c> as a process: an exportable scorer trained and written with its serving block; the errors.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private const string Experiment = """
        name: export-test
        seed: 3
        dataset:
          type: simulator
          params: { candidates: 6, slate_size: 3, train_requests: 30, validation_requests: 20, test_requests: 20 }
        evaluation: { hit_rate_lists: 100, latency_requests: 2, warmup_requests: 1 }
        pipelines:
          - name: dnn
            stages: [ { generate: { scorer: { use: baselines/dnn, params: { epochs: 1, hidden: 8 } }, decoder: baselines/greedy } } ]
          - name: seq2slate
            stages: [ { generate: { scorer: { use: baselines/seq2slate, params: { epochs: 1, dimension: 8, heads: 2 } }, decoder: baselines/greedy } } ]

        """;

    private readonly string _root = Directory.CreateTempSubdirectory("rerank-export-cli-").FullName;

    public ExportCommandTests() => File.WriteAllText(Path.Combine(_root, "e.yaml"), Experiment);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Export_ComponentWithoutOnnxExport_OneErrorNamingItAndListingExportable()
    {
        var result = RerankProcess.Run(_root, "export", "onnx", "--experiment", "e.yaml", "--pipeline", "seq2slate", "--component", "scorer", "--out", "m/seq2slate.onnx");

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldContain("error: 'baselines/seq2slate' (baselines@1.0.0/seq2slate) cannot be exported to ONNX; components that can: ");
        result.Stderr.ShouldContain("baselines/dnn");
        result.Stderr.ShouldContain("baselines/dlcm");
        File.Exists(Path.Combine(_root, "m", "seq2slate.onnx")).ShouldBeFalse();
    }

    [Fact]
    public void Export_UnknownPipelineOrMissingKind_ErrorListsWhatExists()
    {
        var pipeline = RerankProcess.Run(_root, "export", "onnx", "--experiment", "e.yaml", "--pipeline", "nope", "--component", "scorer", "--out", "m.onnx");
        var kind = RerankProcess.Run(_root, "export", "onnx", "--experiment", "e.yaml", "--pipeline", "dnn", "--component", "evaluator", "--out", "m.onnx");

        pipeline.ExitCode.ShouldBe(2);
        pipeline.Stderr.ShouldContain("error: experiment 'export-test' has no pipeline 'nope'; its pipelines: dnn, seq2slate");
        kind.ExitCode.ShouldBe(2);
        kind.Stderr.ShouldContain("error: pipeline 'dnn' has no evaluator; its components: scorer baselines/dnn, decoder baselines/greedy");
    }

    [Fact]
    public void Export_Dnn_TrainsSavesWritesModelAndServingBlock()
    {
        var result = RerankProcess.Run(_root, "export", "onnx", "--experiment", "e.yaml", "--pipeline", "dnn", "--component", "scorer", "--out", "m/dnn.onnx");

        result.ExitCode.ShouldBe(0, result.Stderr);
        File.Exists(Path.Combine(_root, "m", "dnn.onnx")).ShouldBeTrue();
        Directory.GetFiles(Path.Combine(_root, "out", "export-test", "checkpoints"), "*.safetensors").Length.ShouldBe(1);
        var yaml = File.ReadAllText(Path.Combine(_root, "m", "dnn.onnx.yaml"));
        yaml.ShouldStartWith("use: onnx@^1.0/scorer\ncheckpoint: 'dnn.onnx'\nparams:\n  inputs:\n    - { name: candidate_mask, from: candidate_mask }\n");
        yaml.ShouldContain("  output: scores\n  output_kind: item_scores\n");
        result.Stdout.ShouldContain("use: onnx@^1.0/scorer");
    }
}
