using Rerank.Abstractions;
using Rerank.Engine.Onnx;
using static Rerank.Plugins.Onnx.Tests.OnnxFixtures;

namespace Rerank.Plugins.Onnx.Tests;

/// <summary>
/// The per-field slate sources (slate_categorical, slate_priors, slate_dense, slate_embeddings) and slate_size, checked
/// through models written with the engine's ONNX writer whose outputs are simple sums of what they are fed.
/// </summary>
public sealed class SlateSourceTests
{
    [Fact]
    public void Evaluator_PerFieldSlateSources_GatherEachSlatesItemsInSlateOrder()
    {
        // value[r, t] = (Σ ids + Σ priors + Σ dense + Σ embedding) of the item at position t, times (t + 1).
        var graph = new OnnxGraph("fields");
        var cat = graph.Input("cat", OnnxType.Int64, "r", "l", Schema.CategoricalCount(FeatureSide.Item));
        var priors = graph.Input("priors", OnnxType.Float, "r", "l", Schema.PriorNames.Length);
        var dense = graph.Input("dense", OnnxType.Float, "r", "l", Schema.DenseWidth(FeatureSide.Item));
        var emb = graph.Input("emb", OnnxType.Float, "r", "l", Schema.EmbeddingWidth);
        var mask = graph.Input("mask", OnnxType.Float, "r", "l");
        var sum = graph.Add(graph.Add(graph.ReduceSum(graph.Cast(cat, OnnxType.Float), false, 2), graph.ReduceSum(priors, false, 2)), graph.Add(graph.ReduceSum(dense, false, 2), graph.ReduceSum(emb, false, 2)));
        var position = graph.CumSum(graph.Add(graph.Mul(mask, graph.Scalar(0f)), graph.Scalar(1f)), 1);
        graph.Output(graph.Mul(graph.Mul(sum, position), mask), "value", OnnxType.Float, "r", "l");
        var path = Path.Combine(Path.GetTempPath(), $"fields-{Guid.NewGuid():N}.onnx");
        graph.Save(path);
        try
        {
            var evaluator = Build<IEvaluator>(
                "evaluator",
                "inputs:\n  - { name: cat, from: slate_categorical }\n  - { name: priors, from: slate_priors }\n  - { name: dense, from: slate_dense }\n  - { name: emb, from: slate_embeddings }\n  - { name: mask, from: slate_mask }\n",
                path);
            var requests = Requests(4, 21);
            var batch = RerankBatch.Create(Schema, requests);
            var slates = requests.Select(r => (IReadOnlyList<Slate>)[new Slate([.. Enumerable.Range(0, r.SlateSize).Reverse()], 0), new Slate([2, 0], 0)]).ToArray();
            var values = evaluator.Evaluate(batch, slates, new RerankContext(1));
            for (var b = 0; b < requests.Count; b++)
            {
                for (var k = 0; k < slates[b].Count; k++)
                {
                    var expected = slates[b][k].Indices.Select((i, t) =>
                    {
                        var item = requests[b].Candidates[i];
                        return (item.Categorical.Sum() + item.Priors.Sum() + item.Dense.Sum() + item.Embedding.Sum()) * (t + 1.0);
                    }).Sum();
                    values[b][k].ShouldBe(expected, 1e-3, $"request {b}, slate {k}");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Scorer_SlateSize_FeedsEachRequestsSlateSize()
    {
        // scores[b, i] = slate_size[b] · mask[b, i]
        var graph = new OnnxGraph("sizes");
        var size = graph.Input("size", OnnxType.Int64, "b");
        var mask = graph.Input("mask", OnnxType.Float, "b", "n");
        graph.Output(graph.Mul(mask, graph.Unsqueeze(graph.Cast(size, OnnxType.Float), 1)), "scores", OnnxType.Float, "b", "n");
        var path = Path.Combine(Path.GetTempPath(), $"sizes-{Guid.NewGuid():N}.onnx");
        graph.Save(path);
        try
        {
            var scorer = Build<IStepScorer>("scorer", "inputs:\n  - { name: size, from: slate_size }\n  - { name: mask, from: candidate_mask }\n", path);
            var requests = Requests(5, 3).Select((r, i) => new RerankRequest
            {
                RequestId = r.RequestId,
                UserCategorical = r.UserCategorical,
                UserDense = r.UserDense,
                History = r.History,
                Candidates = r.Candidates,
                SlateSize = 1 + i,
            }).ToList();
            var batch = RerankBatch.Create(Schema, requests);
            var scores = new float[batch.Count * batch.MaxCandidates];
            using (var session = scorer.Begin(batch, new RerankContext(1)))
            {
                session.Score(new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []), scores);
            }

            for (var b = 0; b < batch.Count; b++)
            {
                scores[b * batch.MaxCandidates].ShouldBe(1f + b);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Options_SlateSizeOnAnEvaluator_RefusedWithTheAllowedOnes()
    {
        var error = Should.Throw<InvalidOperationException>(() => Build<IEvaluator>("evaluator", "inputs:\n  - { name: size, from: slate_size }\n", null));
        error.Message.ShouldContain("slate_size cannot feed this component");
        error.Message.ShouldContain("slate_categorical");
    }
}
