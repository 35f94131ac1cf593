using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Onnx;
using Xunit.Abstractions;

namespace Rerank.Plugins.DeGRe.Tests.Export;

/// <summary>
/// Export parity (#19): DeGRe-G trained by the engine, exported to ONNX with its greedy pointer decoding unrolled in the
/// graph and served by the real <c>onnx@^1.0/generator</c>, gives the engine's slates; the same file served by
/// <c>onnx@^1.0/scorer</c> reading its <c>log_probs</c> output gives the engine's pointer log-probabilities along the
/// decoded prefixes (max abs difference ≤ 1e-4), on 200 requests of mixed slate sizes in padded batches.
/// </summary>
public sealed class GeneratorOnnxExportTests(ITestOutputHelper output)
{
    private const string Tiny = "layers: 1\nmodel_width: 16\nheads: 2\nembedding_size: 8\nmax_length: 7\nsupervision: exposure\nepochs: 2\nbatch_size: 16";

    [Theory]
    [InlineData(Tiny, false)]
    [InlineData("layers: 2\nmodel_width: 16\nheads: 4\nembedding_size: 8\nfield_heads: 2\nmax_length: 7\nhistory_window: 3\nexclude_fields: [item_id]\nlist_context: true\nhistory_affinity: true\nsupervision: exposure\nepochs: 2\nbatch_size: 16", false)]
    [InlineData(Tiny, true)]
    public void Generator_ExportedWithItsGreedyDecoding_MatchesEngineSlatesAndLogProbs(string paramsYaml, bool context)
    {
        var (schema, training, requests) = context ? Fixtures.WithContext() : (Fixtures.Data.Schema, Fixtures.Data.Training(120, 5), Fixtures.Data.Requests(200, 77));
        var engine = ComponentBuilder.Build<IGenerator>(new DeGRePlugin(), "generator", paramsYaml, schema, 3);
        ((ITrainable)engine).Train(training, new TrainingContext(5));
        var export = ((IOnnxExportable)engine).ExportOnnx(new OnnxExportSettings("generator"));
        var path = Path.Combine(Path.GetTempPath(), $"degre-{Guid.NewGuid():N}.onnx");
        export.Save(path);
        var generator = ComponentBuilder.Build<IGenerator>(new OnnxPlugin(), "generator", export.ParamsYaml(), schema, 7);
        var steps = ComponentBuilder.Build<IStepScorer>(new OnnxPlugin(), "scorer", export.ParamsYaml("log_probs", "position_log_probs"), schema, 7);
        try
        {
            ((ITrainable)generator).Load(path);
            ((ITrainable)steps).Load(path);

            // Slate sizes 1 … 7 (at most the request's candidates) so that requests of one batch decode different lengths.
            var mixed = requests.Select((r, i) => Sized(r, Math.Min(1 + (i % 7), r.Candidates.Count))).ToList();
            var worst = 0.0;
            var compared = 0;
            var same = 0;
            foreach (var chunk in mixed.Chunk(25))
            {
                var batch = RerankBatch.Create(schema, chunk);
                var ours = engine.Generate(batch, 1, new RerankContext(1));
                var theirs = generator.Generate(batch, 1, new RerankContext(1));
                for (var b = 0; b < batch.Count; b++)
                {
                    theirs[b].Single().Indices.ShouldBe(ours[b].Single().Indices, $"request {chunk[b].RequestId}: the slate");
                    same++;
                }

                // Step t of the engine's pointer on the engine's prefixes against row t of the exported log_probs.
                var n = batch.MaxCandidates;
                using var engineSteps = ((IStepScorer)engine).Begin(batch, new RerankContext(1));
                using var onnxSteps = steps.Begin(batch, new RerankContext(1));
                for (var t = 0; t < batch.SlateSizes.Max(); t++)
                {
                    var live = Enumerable.Range(0, batch.Count).Where(b => t < batch.SlateSizes[b]).ToArray();
                    var rows = new StepRows(t, live, [.. live.Select(_ => -1)], [.. live.SelectMany(b => ours[b].Single().Indices.Take(t))]);
                    var a = new float[live.Length * n];
                    var c = new float[live.Length * n];
                    engineSteps.Score(rows, a);
                    onnxSteps.Score(rows, c);
                    for (var r = 0; r < live.Length; r++)
                    {
                        for (var i = 0; i < n; i++)
                        {
                            if (float.IsFinite(a[(r * n) + i]))
                            {
                                worst = Math.Max(worst, Math.Abs(a[(r * n) + i] - c[(r * n) + i]));
                                compared++;
                            }
                        }
                    }
                }
            }

            var what = paramsYaml.ReplaceLineEndings(", ") + (context ? ", schema with context and user dense fields" : "");
            output.WriteLine($"degre generator ({what}) exported to ONNX ({new FileInfo(path).Length} bytes), served by onnx@^1.0/generator: 200 requests in 8 padded batches, slate sizes 1-7, same slates {same}/200; {compared} pointer log-probabilities along them (onnx@^1.0/scorer on log_probs), max abs difference {worst:G3}");
            output.WriteLine(export.ServingYaml("generator", path));
            same.ShouldBe(200);
            compared.ShouldBeGreaterThan(1000);
            worst.ShouldBeLessThanOrEqualTo(1e-4);
        }
        finally
        {
            (generator as IDisposable)?.Dispose();
            (steps as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void Generator_Export_RefusesUntrainedAndOtherKinds_WritesMetadata()
    {
        var engine = ComponentBuilder.Build<IGenerator>(new DeGRePlugin(), "generator", Tiny, Fixtures.Data.Schema, 3);
        var exportable = (IOnnxExportable)engine;
        exportable.CanExportOnnx.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings("generator"))).Message.ShouldContain("not trained");
        ((ITrainable)engine).Train(Fixtures.Data.Training(32, 5), new TrainingContext(5));
        var refused = Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings("scorer")));
        refused.Message.ShouldContain("onnx@^1.0/generator");
        refused.Message.ShouldContain("items chosen before each step");
        var export = exportable.ExportOnnx(new OnnxExportSettings("generator", new Dictionary<string, string> { ["rerank.pipeline"] = "degre" }));
        export.Metadata["rerank.plugin"].ShouldBe("degre");
        export.Metadata["rerank.kind"].ShouldBe("generator");
        export.Metadata["rerank.max_positions"].ShouldBe("7");
        export.Metadata["rerank.pipeline"].ShouldBe("degre");
        export.Metadata["rerank.schema"].ShouldBe(Fixtures.Data.Schema.Describe());
        export.Output.ShouldBe("slates");
        export.Inputs.Select(i => i.Value).ShouldBe(["candidate_mask", "user_categorical", "history_embeddings", "history_mask", "item_categorical", "item_dense", "embeddings", "priors", "slate_size"]);
    }

    private static RerankRequest Sized(RerankRequest r, int slateSize) => new()
    {
        RequestId = r.RequestId,
        UserCategorical = r.UserCategorical,
        UserDense = r.UserDense,
        ContextCategorical = r.ContextCategorical,
        ContextDense = r.ContextDense,
        History = r.History,
        Candidates = r.Candidates,
        SlateSize = slateSize,
    };
}
