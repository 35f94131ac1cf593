using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine.Onnx;
using static Rerank.Plugins.Onnx.Tests.OnnxFixtures;

namespace Rerank.Plugins.Onnx.Tests;

/// <summary>
/// The per-field slate sources (slate_categorical, slate_priors, slate_dense, slate_embeddings, slate_prices), prices,
/// the context sources and slate_size, checked through models written with the engine's ONNX writer whose outputs are
/// simple sums of what they are fed.
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
    public void PricesAndSlatePrices_FeedEachCandidatesPrice()
    {
        // Scorer: scores[b, i] = prices[b, i]. Evaluator: value[r, t] = slate_prices[r, t] · (t + 1), summed over the slate.
        var scorerGraph = new OnnxGraph("prices");
        var prices = scorerGraph.Input("prices", OnnxType.Float, "b", "n");
        scorerGraph.Output(scorerGraph.Add(prices, scorerGraph.Scalar(0f)), "scores", OnnxType.Float, "b", "n");
        var evaluatorGraph = new OnnxGraph("slate_prices");
        var slatePrices = evaluatorGraph.Input("prices", OnnxType.Float, "r", "l");
        var mask = evaluatorGraph.Input("mask", OnnxType.Float, "r", "l");
        var position = evaluatorGraph.CumSum(evaluatorGraph.Add(evaluatorGraph.Mul(mask, evaluatorGraph.Scalar(0f)), evaluatorGraph.Scalar(1f)), 1);
        evaluatorGraph.Output(evaluatorGraph.Mul(evaluatorGraph.Mul(slatePrices, position), mask), "value", OnnxType.Float, "r", "l");
        var scorerPath = Path.Combine(Path.GetTempPath(), $"prices-{Guid.NewGuid():N}.onnx");
        var evaluatorPath = Path.Combine(Path.GetTempPath(), $"slate-prices-{Guid.NewGuid():N}.onnx");
        scorerGraph.Save(scorerPath);
        evaluatorGraph.Save(evaluatorPath);
        try
        {
            var scorer = Build<IStepScorer>("scorer", "inputs:\n  - { name: prices, from: prices }\n", scorerPath);
            var evaluator = Build<IEvaluator>("evaluator", "inputs:\n  - { name: prices, from: slate_prices }\n  - { name: mask, from: slate_mask }\n", evaluatorPath);
            var requests = Requests(4, 8);
            var batch = RerankBatch.Create(Schema, requests);
            var n = batch.MaxCandidates;
            var scores = new float[batch.Count * n];
            using (var session = scorer.Begin(batch, new RerankContext(1)))
            {
                session.Score(new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []), scores);
            }

            var slates = requests.Select(r => (IReadOnlyList<Slate>)[new Slate([.. Enumerable.Range(0, r.SlateSize).Reverse()], 0)]).ToArray();
            var values = evaluator.Evaluate(batch, slates, new RerankContext(1));
            for (var b = 0; b < requests.Count; b++)
            {
                for (var i = 0; i < requests[b].Candidates.Count; i++)
                {
                    scores[(b * n) + i].ShouldBe(requests[b].Candidates[i].Price);
                }

                values[b][0].ShouldBe(slates[b][0].Indices.Select((i, t) => requests[b].Candidates[i].Price * (t + 1.0)).Sum(), 1e-3);
            }
        }
        finally
        {
            File.Delete(scorerPath);
            File.Delete(evaluatorPath);
        }
    }

    [Fact]
    public void ContextSources_FeedTheRequestsContext_ToScorersAndEvaluators()
    {
        // A schema with context fields: scores[b, i] = (Σ context ids + Σ context dense) · mask[b, i]; the evaluator sees the
        // same per slate.
        var schema = new FeatureSchema([.. Schema.Fields, new FeatureField("hour", FeatureKind.Categorical, FeatureSide.Context, 24), new FeatureField("load", FeatureKind.Dense, FeatureSide.Context, 2)], Schema.PriorNames, Schema.EmbeddingWidth);
        string Save(string rows, string axis)
        {
            var graph = new OnnxGraph("context");
            var ids = graph.Input("ids", OnnxType.Int64, rows, 1);
            var dense = graph.Input("dense", OnnxType.Float, rows, 2);
            var mask = graph.Input("mask", OnnxType.Float, rows, axis);
            var sum = graph.Add(graph.ReduceSum(graph.Cast(ids, OnnxType.Float), true, 1), graph.ReduceSum(dense, true, 1));
            graph.Output(graph.Mul(mask, sum), "out", OnnxType.Float, rows, axis);
            var path = Path.Combine(Path.GetTempPath(), $"context-{Guid.NewGuid():N}.onnx");
            graph.Save(path);
            return path;
        }

        var scorerPath = Save("b", "n");
        var evaluatorPath = Save("r", "l");
        try
        {
            var scorer = ComponentBuilder.Build<IStepScorer>(new OnnxPlugin(), "scorer", "inputs:\n  - { name: ids, from: context_categorical }\n  - { name: dense, from: context_dense }\n  - { name: mask, from: candidate_mask }\n", schema, 7);
            var evaluator = ComponentBuilder.Build<IEvaluator>(new OnnxPlugin(), "evaluator", "inputs:\n  - { name: ids, from: context_categorical }\n  - { name: dense, from: context_dense }\n  - { name: mask, from: slate_mask }\n", schema, 7);
            ((ITrainable)scorer).Load(scorerPath);
            ((ITrainable)evaluator).Load(evaluatorPath);
            var requests = Requests(3, 5).Select((r, i) => new RerankRequest
            {
                RequestId = r.RequestId,
                UserCategorical = r.UserCategorical,
                ContextCategorical = [i + 3],
                ContextDense = [0.5f * i, 2f],
                History = r.History,
                Candidates = r.Candidates,
                SlateSize = r.SlateSize,
            }).ToList();
            var batch = RerankBatch.Create(schema, requests);
            var scores = new float[batch.Count * batch.MaxCandidates];
            using (var session = scorer.Begin(batch, new RerankContext(1)))
            {
                session.Score(new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []), scores);
            }

            var slates = requests.Select(r => (IReadOnlyList<Slate>)[new Slate([1, 0], 0)]).ToArray();
            var values = evaluator.Evaluate(batch, slates, new RerankContext(1));
            for (var b = 0; b < requests.Count; b++)
            {
                var expected = b + 3 + (0.5f * b) + 2f;
                scores[b * batch.MaxCandidates].ShouldBe(expected);
                values[b][0].ShouldBe(2 * expected, 1e-4);
            }
        }
        finally
        {
            File.Delete(scorerPath);
            File.Delete(evaluatorPath);
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
