using Microsoft.ML.OnnxRuntime;
using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Onnx;
using Xunit.Abstractions;

namespace Rerank.Plugins.Baselines.Tests.Export;

/// <summary>
/// Export parity (#19): a scorer trained by the engine, exported to ONNX and served by the real <c>onnx@^1.0/scorer</c>,
/// gives the engine's scores (max abs difference ≤ 1e-4) and the same greedy slates on 200 requests in padded batches.
/// </summary>
public sealed class OnnxExportParityTests(ITestOutputHelper output)
{
    private static readonly SyntheticData Data = new();

    [Theory]
    [InlineData("dnn", "epochs: 2\nhidden: 32\nbatch_size: 32\nlearning_rate: 0.003")]
    [InlineData("prm", "epochs: 2\nhidden: 16\nlayers: 2\nheads: 2\nbatch_size: 32\nlearning_rate: 0.003")]
    [InlineData("prm", "epochs: 1\nhidden: 16\nlayers: 1\nheads: 4\nhistory_length: 3")]
    [InlineData("dcn", "epochs: 2\nhidden: 32\ncross_layers: 3\nbatch_size: 32\nlearning_rate: 0.003")]
    [InlineData("dlcm", "epochs: 2\nhidden: 16\nbatch_size: 32\nlearning_rate: 0.003")]
    [InlineData("setrank", "epochs: 2\nhidden: 16\nlayers: 2\nheads: 2\ninducing: 4\nbatch_size: 32\nlearning_rate: 0.003")]
    public void Exported_ServedByOnnxPlugin_MatchesEngineScoresAndSlates(string name, string paramsYaml)
    {
        var (engine, onnx, export, path) = TrainAndExport(name, paramsYaml);
        try
        {
            var requests = Data.Requests(200, 77);
            var greedy = ComponentBuilder.Build<IDecoder>(new BaselinesPlugin(), "greedy", "", Data.Schema, 1);
            var worst = 0.0;
            var sameSlates = 0;
            foreach (var chunk in requests.Chunk(25))
            {
                var batch = RerankBatch.Create(Data.Schema, chunk);
                var n = batch.MaxCandidates;
                var ours = Scores(engine, batch);
                var theirs = Scores(onnx, batch);
                ours.Take(batch.CandidateCounts[0]).Distinct().Count().ShouldBeGreaterThan(1, "the trained model tells candidates apart");
                for (var b = 0; b < batch.Count; b++)
                {
                    for (var i = 0; i < batch.CandidateCounts[b]; i++)
                    {
                        worst = Math.Max(worst, Math.Abs(ours[(b * n) + i] - theirs[(b * n) + i]));
                    }
                }

                var a = greedy.Decode(batch, engine, null, 1, new RerankContext(1));
                var c = greedy.Decode(batch, onnx, null, 1, new RerankContext(1));
                for (var b = 0; b < batch.Count; b++)
                {
                    a[b][0].Indices.ShouldBe(c[b][0].Indices, $"request {chunk[b].RequestId}: the greedy slate");
                    sameSlates++;
                }
            }

            output.WriteLine($"{name} ({paramsYaml.ReplaceLineEndings(", ")}) exported to ONNX ({new FileInfo(path).Length} bytes), served by onnx@^1.0/scorer: 200 requests in 8 padded batches, max abs difference {worst:G3}, same greedy slates {sameSlates}/200");
            output.WriteLine(export.ServingYaml("scorer", path));
            worst.ShouldBeLessThanOrEqualTo(1e-4);
            sameSlates.ShouldBe(200);
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void Prm_BatchWithoutHistory_ZeroLengthHistoryInputs_MatchesEngine()
    {
        var (engine, onnx, _, path) = TrainAndExport("prm", "epochs: 1\nhidden: 16\nlayers: 1");
        try
        {
            var requests = Data.Requests(12, 5).Select(r => new RerankRequest
            {
                RequestId = r.RequestId,
                UserCategorical = r.UserCategorical,
                UserDense = r.UserDense,
                Candidates = r.Candidates,
                SlateSize = r.SlateSize,
            }).ToList();
            var batch = RerankBatch.Create(Data.Schema, requests);
            batch.MaxHistory.ShouldBe(0);
            var ours = Scores(engine, batch);
            var theirs = Scores(onnx, batch);
            var n = batch.MaxCandidates;
            for (var b = 0; b < batch.Count; b++)
            {
                for (var i = 0; i < batch.CandidateCounts[b]; i++)
                {
                    theirs[(b * n) + i].ShouldBe(ours[(b * n) + i], 1e-4f);
                }
            }
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void Dnn_Export_WritesMetadataAndDynamicAxes()
    {
        var (_, onnx, _, path) = TrainAndExport("dnn", "epochs: 1\nhidden: 8");
        try
        {
            using var session = new InferenceSession(path);
            var meta = session.ModelMetadata.CustomMetadataMap;
            meta["rerank.plugin"].ShouldBe("baselines");
            meta["rerank.component"].ShouldBe("dnn");
            meta["rerank.schema"].ShouldBe(Data.Schema.Describe());
            meta.ShouldContainKey("rerank.plugin_version");
            meta.ShouldContainKey("rerank.engine_version");
            session.InputMetadata["candidate_mask"].Dimensions.ShouldBe([-1, -1]);
            session.OutputMetadata["scores"].Dimensions.ShouldBe([-1, -1]);
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_UntrainedOrForAnotherKind_ThrowsNamingIt()
    {
        // Every list model exports (a component without an export is refused by `rerank export`: Rerank.Cli.Tests).
        var dcn = ComponentBuilder.Build<IStepScorer>(new BaselinesPlugin(), "dcn", "epochs: 1\nhidden: 8", Data.Schema, 3);
        var exportable = (IOnnxExportable)dcn;
        exportable.CanExportOnnx.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings())).Message.ShouldBe("dcn: the model is not trained; train or load it before exporting.");
        ((ITrainable)dcn).Train(Data.Training(16, 1), new TrainingContext(1));
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings("evaluator"))).Message.ShouldBe("dcn is a scorer; it exports for onnx@^1.0/scorer, not evaluator");
    }

    private static (IStepScorer Engine, IStepScorer Onnx, OnnxExport Export, string Path) TrainAndExport(string name, string paramsYaml)
    {
        var engine = ComponentBuilder.Build<IStepScorer>(new BaselinesPlugin(), name, paramsYaml, Data.Schema, 3);
        ((ITrainable)engine).Train(Data.Training(160, 5), new TrainingContext(5));
        var export = ((IOnnxExportable)engine).ExportOnnx(new OnnxExportSettings());
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.onnx");
        export.Save(path);
        var onnx = ComponentBuilder.Build<IStepScorer>(new OnnxPlugin(), "scorer", export.ParamsYaml(), Data.Schema, 7);
        ((ITrainable)onnx).Load(path);
        return (engine, onnx, export, path);
    }

    private static float[] Scores(IStepScorer scorer, RerankBatch batch)
    {
        var scores = new float[batch.Count * batch.MaxCandidates];
        using var session = scorer.Begin(batch, new RerankContext(1));
        session.Score(new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []), scores);
        return scores;
    }
}
