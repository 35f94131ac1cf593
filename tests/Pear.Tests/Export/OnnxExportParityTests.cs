using Microsoft.ML.OnnxRuntime;
using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Baselines;
using Rerank.Plugins.Onnx;
using Xunit.Abstractions;

namespace Rerank.Plugins.Pear.Tests.Export;

/// <summary>
/// Export parity (#19): PEAR's scorer trained by the engine, exported to ONNX and served by the real
/// <c>onnx@^1.0/scorer</c>, gives the engine's click probabilities (max abs difference ≤ 1e-4) and the same greedy slates
/// on 200 requests with 3–7 history items in padded batches.
/// </summary>
public sealed class OnnxExportParityTests(ITestOutputHelper output)
{
    private const string Small = "epochs: 2\nhidden: 16\ninteraction_hidden: 16\nbatch_size: 32\nlearning_rate: 0.003\n";
    private static readonly SyntheticData Data = new();

    [Theory]
    [InlineData(Small)]
    [InlineData(Small + "interaction: dcn\ncross_layers: 3\nheads: 4\nhistory_length: 4\nhistory_position_site: interaction")]
    [InlineData(Small + "history_length: 5\nhistory_positions: false\nresidual: false\nalpha: 0")]
    [InlineData(Small + "history_length: 0")]
    public void Exported_ServedByOnnxPlugin_MatchesEngineScoresAndSlates(string paramsYaml)
    {
        var (engine, onnx, export, path) = TrainAndExport(paramsYaml);
        try
        {
            var requests = Data.Requests(200, 77);
            var greedy = ComponentBuilder.Build<IDecoder>(new BaselinesPlugin(), "greedy", "", Data.Schema, 1);
            var worst = 0.0;
            var sameSlates = 0;
            foreach (var chunk in requests.Chunk(25))
            {
                var batch = RerankBatch.Create(Data.Schema, chunk);
                var ours = Scores(engine, batch);
                ours.Take(batch.CandidateCounts[0]).Distinct().Count().ShouldBeGreaterThan(1, "the trained model tells candidates apart");
                worst = Math.Max(worst, WorstDifference(batch, ours, Scores(onnx, batch)));
                var a = greedy.Decode(batch, engine, null, 1, new RerankContext(1));
                var c = greedy.Decode(batch, onnx, null, 1, new RerankContext(1));
                for (var b = 0; b < batch.Count; b++)
                {
                    c[b][0].Indices.ShouldBe(a[b][0].Indices, $"request {chunk[b].RequestId}: the greedy slate");
                    sameSlates++;
                }
            }

            output.WriteLine($"pear ({paramsYaml.TrimEnd().ReplaceLineEndings(", ")}) exported to ONNX ({new FileInfo(path).Length} bytes), served by onnx@^1.0/scorer: 200 requests in 8 padded batches, max abs difference {worst:G3}, same greedy slates {sameSlates}/200");
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

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Exported_RequestsWithoutHistory_MatchesEngine(int withHistoryEvery)
    {
        // 0: no request has history (zero-length history inputs); 2: every other request has none, beside ones that do.
        var (engine, onnx, _, path) = TrainAndExport(Small + "history_length: 4");
        try
        {
            var requests = Data.Requests(12, 5).Select((r, i) => withHistoryEvery > 0 && i % withHistoryEvery == 0 ? r : new RerankRequest
            {
                RequestId = r.RequestId,
                UserCategorical = r.UserCategorical,
                UserDense = r.UserDense,
                Candidates = r.Candidates,
                SlateSize = r.SlateSize,
            }).ToList();
            var batch = RerankBatch.Create(Data.Schema, requests);
            batch.HistoryCounts.Count(c => c == 0).ShouldBe(withHistoryEvery == 0 ? 12 : 6);
            var worst = WorstDifference(batch, Scores(engine, batch), Scores(onnx, batch));
            output.WriteLine($"pear, {batch.HistoryCounts.Count(c => c == 0)} of 12 requests without history: max abs difference {worst:G3}");
            worst.ShouldBeLessThanOrEqualTo(1e-4);
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_WritesMetadataAndHistoryInputs_RefusesUntrainedAndOtherKinds()
    {
        var scorer = ComponentBuilder.Build<IStepScorer>(new PearPlugin(), "pear", "epochs: 1\nhidden: 8\ninteraction_hidden: 8\nhistory_length: 6", Data.Schema, 3);
        var exportable = (IOnnxExportable)scorer;
        exportable.CanExportOnnx.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings())).Message.ShouldBe("pear: the model is not trained; train or load it before exporting.");
        ((ITrainable)scorer).Train(Data.Training(16, 1), new TrainingContext(1));
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings("evaluator"))).Message.ShouldContain("onnx@^1.0/scorer, not evaluator");
        var export = exportable.ExportOnnx(new OnnxExportSettings(Metadata: new Dictionary<string, string> { ["rerank.pipeline"] = "p" }));
        var path = Path.Combine(Path.GetTempPath(), $"pear-{Guid.NewGuid():N}.onnx");
        try
        {
            export.Save(path);
            using var session = new InferenceSession(path);
            var meta = session.ModelMetadata.CustomMetadataMap;
            meta["rerank.plugin"].ShouldBe("pear");
            meta["rerank.component"].ShouldBe("pear");
            meta["rerank.kind"].ShouldBe("scorer");
            meta["rerank.schema"].ShouldBe(Data.Schema.Describe());
            meta["rerank.options"].ShouldContain("\"history_length\":6");
            meta["rerank.pipeline"].ShouldBe("p");
            meta.ShouldContainKey("rerank.plugin_version");
            meta.ShouldContainKey("rerank.engine_version");
            export.OutputKind.ShouldBe("item_scores");
            export.Inputs.Select(i => i.Value).ShouldContain("history_mask");
            session.InputMetadata["history_categorical"].Dimensions.ShouldBe([-1, -1, 2]);
            session.OutputMetadata["scores"].Dimensions.ShouldBe([-1, -1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (IStepScorer Engine, IStepScorer Onnx, OnnxExport Export, string Path) TrainAndExport(string paramsYaml)
    {
        var engine = ComponentBuilder.Build<IStepScorer>(new PearPlugin(), "pear", paramsYaml, Data.Schema, 3);
        ((ITrainable)engine).Train(Data.Training(160, 5), new TrainingContext(5));
        var export = ((IOnnxExportable)engine).ExportOnnx(new OnnxExportSettings());
        var path = Path.Combine(Path.GetTempPath(), $"pear-{Guid.NewGuid():N}.onnx");
        export.Save(path);
        var onnx = ComponentBuilder.Build<IStepScorer>(new OnnxPlugin(), "scorer", export.ParamsYaml(), Data.Schema, 7);
        ((ITrainable)onnx).Load(path);
        return (engine, onnx, export, path);
    }

    private static double WorstDifference(RerankBatch batch, float[] ours, float[] theirs)
    {
        var n = batch.MaxCandidates;
        var worst = 0.0;
        for (var b = 0; b < batch.Count; b++)
        {
            for (var i = 0; i < batch.CandidateCounts[b]; i++)
            {
                worst = Math.Max(worst, Math.Abs(ours[(b * n) + i] - theirs[(b * n) + i]));
            }
        }

        return worst;
    }

    private static float[] Scores(IStepScorer scorer, RerankBatch batch)
    {
        var scores = new float[batch.Count * batch.MaxCandidates];
        using var session = scorer.Begin(batch, new RerankContext(1));
        session.Score(new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []), scores);
        return scores;
    }
}
