using Rerank.Abstractions;
using Rerank.Conformance;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.Pear.Tests;

public sealed class PearEvaluatorTests
{
    private static readonly SyntheticData Data = new();

    [Fact]
    public void Evaluate_TrainedOnLists_ProbabilitiesInUnitInterval()
    {
        var evaluator = Trained();
        var batch = RerankBatch.Create(Data.Schema, Data.Requests(3, 9));
        var slates = Enumerable.Range(0, batch.Count)
            .Select(b => (IReadOnlyList<Slate>)[new Slate([0, 1], 0), new Slate([1, 0], 0)]).ToList();
        var values = evaluator.Evaluate(batch, slates, new RerankContext(1));
        values.Length.ShouldBe(3);
        values.SelectMany(v => v).ShouldAllBe(v => v > 0 && v < 1);
    }

    [Fact]
    public void PredictPositions_OneProbabilityPerPosition()
    {
        var evaluator = (IItemwiseEvaluator)Trained();
        var batch = RerankBatch.Create(Data.Schema, Data.Requests(2, 9));
        var predictions = evaluator.PredictPositions(batch, [new Slate([2, 0, 1], 0), new Slate([1], 0)], new RerankContext(1));
        predictions[0].Length.ShouldBe(3);
        predictions[1].Length.ShouldBe(1);
        predictions.SelectMany(p => p).ShouldAllBe(p => p > 0 && p < 1);
    }

    private static IEvaluator Trained()
    {
        var evaluator = ComponentBuilder.Build<IEvaluator>(new PearPlugin(), "list", "epochs: 1\nhidden: 16\ninteraction_hidden: 16", Data.Schema, 3);
        ((ITrainable)evaluator).Train(Data.Training(32, 2), new TrainingContext(2));
        return evaluator;
    }
}
