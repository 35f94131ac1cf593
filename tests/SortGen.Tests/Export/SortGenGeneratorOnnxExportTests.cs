using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Onnx;
using Xunit.Abstractions;

namespace Rerank.Plugins.SortGen.Tests.Export;

/// <summary>
/// Export parity (#19): SORT-Gen's generator with a SORT model trained by the engine, exported with its whole generation
/// (queues, per-step SORT values, MMR, selection) in the graph and served by the real <c>onnx@^1.0/generator</c>, gives
/// the engine's slates; the same file served by <c>onnx@^1.0/scorer</c> reading its <c>values</c> output gives the
/// engine's V([S, i]) (<c>sortgen/prefix_value</c>) along the decoded prefixes, max abs difference ≤ 1e-4; 200 requests
/// of mixed slate sizes in padded batches. <c>prefix_value</c> itself has no export, and says why.
/// </summary>
public sealed class SortGenGeneratorOnnxExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("")]
    [InlineData("fill: dfs\nheads_per_queue: 2\nlambda: 1\nqueue_length: 1\nqueues: [ctr, '0.5*ctr + 0.5*ctr*cvr']\ngamma: 2\nnormalize_gmv: false")]
    [InlineData("lambda: 0.3\nwindow: 0\nheads_per_queue: 3\nqueues: [ctr*cvr*price]\nalpha: 1\nbeta: 4")]
    public void Generator_ExportedWithItsGeneration_MatchesEngineSlatesAndValues(string paramsYaml)
    {
        var engine = Trained.Loaded<IGenerator>("generator", paramsYaml);
        var weights = string.Join('\n', paramsYaml.Split('\n').Where(l => l.StartsWith("alpha", StringComparison.Ordinal) || l.StartsWith("beta", StringComparison.Ordinal) || l.StartsWith("gamma", StringComparison.Ordinal) || l.StartsWith("normalize_gmv", StringComparison.Ordinal)));
        var prefixValue = Trained.Loaded<IStepScorer>("prefix_value", weights);
        var export = ((IOnnxExportable)engine).ExportOnnx(new OnnxExportSettings("generator"));
        var path = Path.Combine(Path.GetTempPath(), $"sortgen-{Guid.NewGuid():N}.onnx");
        export.Save(path);
        var generator = ComponentBuilder.Build<IGenerator>(new OnnxPlugin(), "generator", export.ParamsYaml(), Trained.Data.Schema, 7);
        var values = ComponentBuilder.Build<IStepScorer>(new OnnxPlugin(), "scorer", export.ParamsYaml("values", "position_log_probs"), Trained.Data.Schema, 7);
        try
        {
            ((ITrainable)generator).Load(path);
            ((ITrainable)values).Load(path);

            // Slate sizes 1 … 5 (max_length; at most the request's candidates) so that requests of one batch decode different lengths.
            var requests = Trained.Data.Requests(200, 77).Select((r, i) => new RerankRequest
            {
                RequestId = r.RequestId,
                UserCategorical = r.UserCategorical,
                History = r.History,
                Candidates = r.Candidates,
                SlateSize = Math.Min(1 + (i % 5), r.Candidates.Count),
            }).ToList();
            var same = 0;
            var compared = 0;
            var worst = 0.0;
            foreach (var chunk in requests.Chunk(25))
            {
                var batch = RerankBatch.Create(Trained.Data.Schema, chunk);
                var ours = engine.Generate(batch, 1, Trained.Context);
                var theirs = generator.Generate(batch, 1, Trained.Context);
                for (var b = 0; b < batch.Count; b++)
                {
                    theirs[b].Single().Indices.ShouldBe(ours[b].Single().Indices, $"request {chunk[b].RequestId}: the slate");
                    same++;
                }

                // V([S, i]) of every free candidate on the engine's prefixes: the engine's prefix_value against row t of `values`.
                var n = batch.MaxCandidates;
                using var engineSteps = prefixValue.Begin(batch, Trained.Context);
                using var onnxSteps = values.Begin(batch, Trained.Context);
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
                        var prefix = rows.Prefix(r).ToArray();
                        for (var i = 0; i < batch.CandidateCounts[live[r]]; i++)
                        {
                            if (!prefix.Contains(i))
                            {
                                worst = Math.Max(worst, Math.Abs(a[(r * n) + i] - c[(r * n) + i]));
                                compared++;
                            }
                        }
                    }
                }
            }

            output.WriteLine($"sortgen generator ({(paramsYaml.Length == 0 ? "defaults: bfs, 3 queues, lambda 0.6, window 3" : paramsYaml.ReplaceLineEndings(", "))}) exported to ONNX ({new FileInfo(path).Length} bytes), served by onnx@^1.0/generator: 200 requests in 8 padded batches, slate sizes 1-5, same slates {same}/200; {compared} values V([S, i]) along them (onnx@^1.0/scorer on values vs sortgen/prefix_value), max abs difference {worst:G3}");
            output.WriteLine(export.ServingYaml("generator", path));
            same.ShouldBe(200);
            compared.ShouldBeGreaterThan(1000);
            worst.ShouldBeLessThanOrEqualTo(1e-4);
        }
        finally
        {
            (generator as IDisposable)?.Dispose();
            (values as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void Generator_Export_RefusesUntrainedAndOtherKinds_WritesMetadata()
    {
        var untrained = (IOnnxExportable)Trained.Build<IGenerator>("generator", Trained.ModelYaml);
        untrained.CanExportOnnx.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => untrained.ExportOnnx(new OnnxExportSettings("generator"))).Message.ShouldContain("not trained");
        var trained = (IOnnxExportable)Trained.Loaded<IGenerator>("generator");
        var refused = Should.Throw<InvalidOperationException>(() => trained.ExportOnnx(new OnnxExportSettings("scorer")));
        refused.Message.ShouldContain("onnx@^1.0/generator");
        refused.Message.ShouldContain("depends on the items chosen before it");
        var export = trained.ExportOnnx(new OnnxExportSettings("generator"));
        export.Metadata["rerank.plugin"].ShouldBe("sortgen");
        export.Metadata["rerank.kind"].ShouldBe("generator");
        export.Metadata["rerank.max_positions"].ShouldBe("5");
        export.Output.ShouldBe("slates");
        export.Inputs.Select(i => i.Value).ShouldContain("prices");
        export.Inputs.Select(i => i.Value).ShouldContain("slate_size");

        // A slate past max_length (5) is refused by the engine and, from the metadata, by the onnx plugin.
        var path = Path.Combine(Path.GetTempPath(), $"sortgen-limit-{Guid.NewGuid():N}.onnx");
        export.Save(path);
        var onnx = ComponentBuilder.Build<IGenerator>(new OnnxPlugin(), "generator", export.ParamsYaml("slates"), Trained.Data.Schema, 7);
        try
        {
            ((ITrainable)onnx).Load(path);
            var request = Trained.Data.Requests(40, 3).First(r => r.Candidates.Count >= 6);
            var batch = RerankBatch.Create(Trained.Data.Schema, [new RerankRequest { RequestId = request.RequestId, UserCategorical = request.UserCategorical, History = request.History, Candidates = request.Candidates, SlateSize = 6 }]);
            Should.Throw<ComponentException>(() => ((IGenerator)trained).Generate(batch, 1, Trained.Context)).Message.ShouldContain("max_length 5");
            Should.Throw<ComponentException>(() => onnx.Generate(batch, 1, Trained.Context)).Message.ShouldContain("rerank.max_positions = 5");
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void PrefixValue_Export_RefusedNamingTheComponentAndWhy()
    {
        var scorer = (IOnnxExportable)Trained.Loaded<IStepScorer>("prefix_value");
        scorer.CanExportOnnx.ShouldBeFalse();
        var error = Should.Throw<InvalidOperationException>(() => scorer.ExportOnnx(new OnnxExportSettings("scorer")));
        error.Message.ShouldContain("prefix_value cannot be exported to ONNX");
        error.Message.ShouldContain("changes with every prefix");
        error.Message.ShouldContain("sortgen/generator");
    }
}
