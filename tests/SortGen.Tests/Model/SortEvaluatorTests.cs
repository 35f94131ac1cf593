using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.SortGen.Tests.Model;

public sealed class SortEvaluatorTests
{
    [Fact]
    public void Evaluate_ClickOnlyWeights_OneItemValueIsItsClickProbability()
    {
        // eq. 2 with α = 1, β = γ = 0 and one item: V = E[clicks_1] = p_1,1, the item-wise click prediction.
        var evaluator = (IItemwiseEvaluator)Trained.Loaded<IEvaluator>("sort", "alpha: 1\nbeta: 0\ngamma: 0");
        var batch = Trained.Batch(4);
        Slate[] slates = [.. Enumerable.Range(0, batch.Count).Select(b => new Slate([b % batch.CandidateCounts[b]], 0))];
        var values = evaluator.Evaluate(batch, [.. slates.Select(s => (IReadOnlyList<Slate>)[s])], Trained.Context);
        var positions = evaluator.PredictPositions(batch, slates, Trained.Context);
        for (var b = 0; b < batch.Count; b++)
        {
            values[b][0].ShouldBe(positions[b][0], 1e-5);
            values[b][0].ShouldBeInRange(0.0, 1.0);
        }
    }

    [Fact]
    public void Evaluate_ClickOnlyWeights_TelescopesOverPrefixes()
    {
        // eq. 2: V(l_1..j) − V(l_1..j−1) is the increment of item j, so V of the whole list is E[clicks_L], whatever the path.
        var evaluator = Trained.Loaded<IEvaluator>("sort", "alpha: 1\nbeta: 0\ngamma: 0");
        var batch = Trained.Batch(1);
        var l = batch.SlateSizes[0];
        IReadOnlyList<Slate>[] prefixes = [[.. Enumerable.Range(1, l).Select(j => new Slate([.. Enumerable.Range(0, j)], 0))]];
        var values = evaluator.Evaluate(batch, prefixes, Trained.Context)[0];
        var increments = values.Select((v, j) => j == 0 ? v : v - values[j - 1]).ToArray();
        increments.Sum().ShouldBe(values[^1], 1e-5);
        values[0].ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Evaluate_GammaOnly_ScalesWithGamma()
    {
        var batch = Trained.Batch(3);
        IReadOnlyList<Slate>[] slates = [.. Enumerable.Range(0, batch.Count).Select(b => (IReadOnlyList<Slate>)[new Slate([0, 1], 0)])];
        var one = Trained.Loaded<IEvaluator>("sort", "alpha: 0\nbeta: 0\ngamma: 1").Evaluate(batch, slates, Trained.Context);
        var three = Trained.Loaded<IEvaluator>("sort", "alpha: 0\nbeta: 0\ngamma: 3").Evaluate(batch, slates, Trained.Context);
        for (var b = 0; b < batch.Count; b++)
        {
            three[b][0].ShouldBe(3 * one[b][0], 1e-6);
        }
    }
}
