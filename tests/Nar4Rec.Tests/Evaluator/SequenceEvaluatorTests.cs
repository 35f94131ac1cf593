using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec.Tests.Evaluator;

public sealed class SequenceEvaluatorTests
{
    [Fact]
    public void Train_FewEpochs_LossFalls()
    {
        var evaluator = new SequenceEvaluator(Support.EvaluatorOptions(epochs: 4), Support.Context("evaluator"));
        var result = evaluator.Train(Support.Data.Training(64, 5), new TrainingContext(3));
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss);
    }

    [Fact]
    public void Evaluate_Utility_IsWeightedSumOfItemwiseScores()
    {
        var options = Support.EvaluatorOptions();
        options.ClickWeight = 2;
        var evaluator = new SequenceEvaluator(options, Support.Context("evaluator"));
        evaluator.Train(Support.Data.Training(32, 5), new TrainingContext(3));
        var batch = Support.Batch();
        var slates = Enumerable.Range(0, batch.Count).Select(b => new Slate([.. Enumerable.Range(0, batch.SlateSizes[b])], 0)).ToList();
        var values = evaluator.Evaluate(batch, [.. slates.Select(s => (IReadOnlyList<Slate>)[s])], new RerankContext(1));
        var clicks = evaluator.PredictPositions(batch, slates, new RerankContext(1));
        for (var b = 0; b < batch.Count; b++)
        {
            clicks[b].Length.ShouldBe(slates[b].Count);
            clicks[b].ShouldAllBe(p => p > 0 && p < 1);
            values[b][0].ShouldBe(2.0 * clicks[b].Sum(p => (double)p), 1e-4);
        }
    }

    [Fact]
    public void Evaluate_ShorterSlatesAmongK_PaddingDoesNotChangeTheirValue()
    {
        var evaluator = new SequenceEvaluator(Support.EvaluatorOptions(), Support.Context("evaluator"));
        evaluator.Train(Support.Data.Training(32, 5), new TrainingContext(3));
        var batch = Support.Batch(1);
        var shortSlate = new Slate([0, 1], 0);
        var alone = evaluator.Evaluate(batch, [[shortSlate]], new RerankContext(1))[0][0];
        var together = evaluator.Evaluate(batch, [[new Slate([.. Enumerable.Range(0, batch.SlateSizes[0])], 0), shortSlate]], new RerankContext(1))[0][1];
        together.ShouldBe(alone, 1e-5);
    }

    [Fact]
    public void Evaluate_Untrained_FailsNamingTheComponent()
    {
        var evaluator = new SequenceEvaluator(Support.EvaluatorOptions(), Support.Context("my-eval"));
        var batch = Support.Batch(1);
        Should.Throw<ComponentException>(() => evaluator.Evaluate(batch, [[new Slate([0], 0)]], new RerankContext(1))).Message.ShouldContain("my-eval");
    }
}
