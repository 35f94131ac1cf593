using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Onnx;
using Xunit.Abstractions;

namespace Rerank.Plugins.SortGen.Tests.Export;

/// <summary>
/// Export parity (#19): the SORT model trained by the engine, exported as a list evaluator and served by the real
/// <c>onnx@^1.0/evaluator</c>, gives the engine's list values V(R', C) (max abs difference ≤ 1e-4) and picks the same best
/// slate of each request, on 200 requests with 3 slates of mixed lengths each, in padded batches.
/// </summary>
public sealed class SortEvaluatorOnnxExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("")]
    [InlineData("loss: pointwise\nhistory_window: 3\nalpha: 2\nbeta: 3\ngamma: 0.5\nnormalize_gmv: false")]
    public void Evaluator_ExportedAsOnnxEvaluator_MatchesEngineValuesAndBestSlates(string paramsYaml)
    {
        IEvaluator engine;
        if (paramsYaml.Length == 0)
        {
            engine = Trained.Loaded<IEvaluator>("sort");
        }
        else
        {
            engine = Trained.Build<IEvaluator>("sort", Trained.ModelYaml + "\n" + paramsYaml);
            ((ITrainable)engine).Train(Trained.Data.Training(160, 7), new TrainingContext(7));
        }

        var export = ((IOnnxExportable)engine).ExportOnnx(new OnnxExportSettings("evaluator"));
        var path = Path.Combine(Path.GetTempPath(), $"sort-{Guid.NewGuid():N}.onnx");
        export.Save(path);
        var onnx = ComponentBuilder.Build<IEvaluator>(new OnnxPlugin(), "evaluator", export.ParamsYaml(), Trained.Data.Schema, 7);
        try
        {
            ((ITrainable)onnx).Load(path);
            var requests = Trained.Data.Requests(200, 77);
            var worst = 0.0;
            var compared = 0;
            var same = 0;
            var r = 0;
            foreach (var chunk in requests.Chunk(25))
            {
                var batch = RerankBatch.Create(Trained.Data.Schema, chunk);

                // Three slates per request, lengths 1 … 5 (at most the candidates), from rotations of the candidate order.
                var slates = chunk.Select(q => (IReadOnlyList<Slate>)[.. Enumerable.Range(0, 3).Select(k =>
                {
                    var n = q.Candidates.Count;
                    var length = Math.Min(n, 1 + ((r + (2 * k)) % 5));
                    r++;
                    return new Slate([.. Enumerable.Range(0, length).Select(j => ((j * (k + 1)) + r) % n).Distinct()], 0);
                })]).ToArray();
                var ours = engine.Evaluate(batch, slates, new RerankContext(1));
                var theirs = onnx.Evaluate(batch, slates, new RerankContext(1));
                for (var b = 0; b < batch.Count; b++)
                {
                    for (var k = 0; k < slates[b].Count; k++)
                    {
                        worst = Math.Max(worst, Math.Abs(ours[b][k] - theirs[b][k]));
                        compared++;
                    }

                    same += Array.IndexOf(ours[b], ours[b].Max()) == Array.IndexOf(theirs[b], theirs[b].Max()) ? 1 : 0;
                }
            }

            output.WriteLine($"sort evaluator ({(paramsYaml.Length == 0 ? "ordered, defaults" : paramsYaml.ReplaceLineEndings(", "))}) exported to ONNX ({new FileInfo(path).Length} bytes), served by onnx@^1.0/evaluator: 200 requests in 8 padded batches, {compared} slates of length 1-5, max abs difference of V(R', C) {worst:G3}, same best slate {same}/200");
            output.WriteLine(export.ServingYaml("evaluator", path));
            worst.ShouldBeLessThanOrEqualTo(1e-4);
            same.ShouldBe(200);
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void Evaluator_Export_RefusesUntrainedAndOtherKinds_WritesMetadata()
    {
        var untrained = (IOnnxExportable)Trained.Build<IEvaluator>("sort", Trained.ModelYaml);
        untrained.CanExportOnnx.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => untrained.ExportOnnx(new OnnxExportSettings("evaluator"))).Message.ShouldContain("not trained");
        var trained = (IOnnxExportable)Trained.Loaded<IEvaluator>("sort");
        Should.Throw<InvalidOperationException>(() => trained.ExportOnnx(new OnnxExportSettings("scorer"))).Message.ShouldContain("onnx@^1.0/evaluator");
        var export = trained.ExportOnnx(new OnnxExportSettings("evaluator"));
        export.Metadata["rerank.plugin"].ShouldBe("sortgen");
        export.Metadata["rerank.kind"].ShouldBe("evaluator");
        export.Metadata["rerank.max_positions"].ShouldBe("5");
        float.Parse(export.Metadata["rerank.mean_price"], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0f);
        export.Output.ShouldBe("values");
        export.Inputs.Select(i => i.Value).ShouldBe(["slate_mask", "slate_categorical", "user_categorical", "slate_dense", "slate_embeddings", "slate_priors", "history_embeddings", "history_mask", "slate_prices"]);
    }
}
