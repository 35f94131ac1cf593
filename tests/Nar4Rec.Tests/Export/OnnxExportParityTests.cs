using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Baselines;
using Rerank.Plugins.Onnx;
using Xunit.Abstractions;
using static Rerank.Plugins.Nar4Rec.Tests.Support;

namespace Rerank.Plugins.Nar4Rec.Tests.Export;

/// <summary>
/// Export parity (#19): the NAR4Rec generator trained by the engine, exported to ONNX and served by the real
/// <c>onnx@^1.0/scorer</c> (output_kind: position_log_probs), gives the engine's log p̂ at every position (max abs
/// difference ≤ 1e-4) and the same greedy and beam slates, on 200 requests of mixed slate sizes in padded batches.
/// </summary>
public sealed class OnnxExportParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("dimension: 16\nheads: 2\nfeed_forward: 32\nfield_width: 4\nepochs: 2\nbatch_size: 16\nlearning_rate: 0.003")]
    [InlineData("dimension: 8\nheads: 4\ncandidate_layers: 2\nposition_layers: 2\nfeed_forward: 16\nfield_width: 4\npositions: 8\nepochs: 1\nbatch_size: 16")]
    public void Generator_ExportedAsPositionScorer_MatchesEngineLogProbsAndSlates(string paramsYaml)
    {
        var engine = ComponentBuilder.Build<IStepScorer>(new Nar4RecPlugin(), "generator", paramsYaml, Data.Schema, 3);
        ((ITrainable)engine).Train(Data.Training(120, 5), new TrainingContext(5));
        var export = ((IOnnxExportable)engine).ExportOnnx(new OnnxExportSettings());
        var path = Path.Combine(Path.GetTempPath(), $"nar4rec-{Guid.NewGuid():N}.onnx");
        export.Save(path);
        var onnx = ComponentBuilder.Build<IStepScorer>(new OnnxPlugin(), "scorer", export.ParamsYaml(), Data.Schema, 7);
        try
        {
            ((ITrainable)onnx).Load(path);
            onnx.Kind.ShouldBe(StepScoreKind.LogProbability);

            // Slate sizes 1 … 7 so that requests of one batch fill different numbers of positions.
            var requests = Data.Requests(200, 77).Select((r, i) => new RerankRequest
            {
                RequestId = r.RequestId,
                UserCategorical = r.UserCategorical,
                UserDense = r.UserDense,
                History = r.History,
                Candidates = r.Candidates,
                SlateSize = 1 + (i % 7),
            }).ToList();
            var greedy = ComponentBuilder.Build<IDecoder>(new BaselinesPlugin(), "greedy", "", Data.Schema, 1);
            var beam = ComponentBuilder.Build<IDecoder>(new BaselinesPlugin(), "beam", "width: 3", Data.Schema, 1);
            var worst = 0.0;
            var same = 0;
            var compared = 0;
            foreach (var chunk in requests.Chunk(25))
            {
                var batch = RerankBatch.Create(Data.Schema, chunk);
                var n = batch.MaxCandidates;
                var length = batch.SlateSizes.Max();
                using var ours = engine.Begin(batch, new RerankContext(1));
                using var theirs = onnx.Begin(batch, new RerankContext(1));
                for (var t = 0; t < length; t++)
                {
                    var a = Step(ours, batch, t);
                    var c = Step(theirs, batch, t);
                    for (var b = 0; b < batch.Count; b++)
                    {
                        for (var i = 0; i < batch.CandidateCounts[b]; i++)
                        {
                            worst = Math.Max(worst, Math.Abs(a[(b * n) + i] - c[(b * n) + i]));
                            compared++;
                        }
                    }
                }

                foreach (var decoder in new[] { greedy, beam })
                {
                    var x = decoder.Decode(batch, engine, null, 1, new RerankContext(1));
                    var y = decoder.Decode(batch, onnx, null, 1, new RerankContext(1));
                    for (var b = 0; b < batch.Count; b++)
                    {
                        y[b][0].Indices.ShouldBe(x[b][0].Indices, $"request {chunk[b].RequestId}: the {decoder.Name} slate");
                        same++;
                    }
                }
            }

            output.WriteLine($"nar4rec generator ({paramsYaml.ReplaceLineEndings(", ")}) exported to ONNX ({new FileInfo(path).Length} bytes), served by onnx@^1.0/scorer: 200 requests in 8 padded batches, slate sizes 1-7, {compared} log-probabilities, max abs difference {worst:G3}, same greedy and beam slates {same}/400");
            output.WriteLine(export.ServingYaml("scorer", path));
            worst.ShouldBeLessThanOrEqualTo(1e-4);
            same.ShouldBe(400);
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void Generator_Export_WritesMetadataAndRefusesOtherKinds()
    {
        var engine = ComponentBuilder.Build<IStepScorer>(new Nar4RecPlugin(), "generator", "dimension: 8\nheads: 2\nfeed_forward: 16\nfield_width: 4\nepochs: 1", Data.Schema, 3);
        var exportable = (IOnnxExportable)engine;
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings())).Message.ShouldContain("not trained");
        ((ITrainable)engine).Train(Data.Training(32, 5), new TrainingContext(5));
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings("evaluator"))).Message.ShouldContain("onnx@^1.0/scorer");
        var export = exportable.ExportOnnx(new OnnxExportSettings());
        export.Metadata["rerank.plugin"].ShouldBe("nar4rec");
        export.Metadata["rerank.max_positions"].ShouldBe("10");
        export.Metadata["rerank.schema"].ShouldBe(Data.Schema.Describe());
        export.OutputKind.ShouldBe("position_log_probs");
        export.Inputs.ShouldContain(new KeyValuePair<string, string>("slate_size", "slate_size"));
    }

    private static float[] Step(IStepSession session, RerankBatch batch, int t)
    {
        var scores = new float[batch.Count * batch.MaxCandidates];
        var rows = Enumerable.Range(0, batch.Count).ToArray();
        session.Score(new StepRows(t, rows, rows, [.. rows.SelectMany(_ => Enumerable.Range(0, t))]), scores);
        return scores;
    }
}
