using Rerank.Abstractions;
using Rerank.Engine.Nn;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.SortGen.Tests.Model;

public sealed class SortModelTests
{
    [Fact]
    public void Train_SyntheticLogs_TrainingLossFalls()
    {
        var evaluator = Trained.Build<IEvaluator>("sort", Trained.ModelYaml.Replace("epochs: 3", "epochs: 4", StringComparison.Ordinal) + "\nrestore_best: false");
        var result = ((ITrainable)evaluator).Train(Trained.Data.Training(160, 9), new TrainingContext(9));
        result.Curve.Count.ShouldBe(4);
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss);
        result.Curve.ShouldAllBe(e => e.ValidationLoss.HasValue && double.IsFinite(e.ValidationLoss.Value));
    }

    [Fact]
    public void Load_OtherHyperParameters_NamesTheMismatch()
    {
        var other = Trained.Build<IEvaluator>("sort", Trained.ModelYaml.Replace("model_dim: 16", "model_dim: 32", StringComparison.Ordinal));
        var error = Should.Throw<CheckpointMismatchException>(() => ((ITrainable)other).Load(Trained.CheckpointPath));
        error.Mismatches.ShouldContain("hyper-parameter 'model_dim' is 16 in the checkpoint, 32 here");
    }

    [Fact]
    public void Load_OtherSchema_NamesTheFeature()
    {
        var schema = new FeatureSchema(
            [.. Trained.Data.Schema.Fields.Where(f => f.Name != "user_segment")], Trained.Data.Schema.PriorNames, Trained.Data.Schema.EmbeddingWidth);
        var other = Rerank.Conformance.ComponentBuilder.Build<IEvaluator>(new SortGenPlugin(), "sort", Trained.ModelYaml, schema, 1);
        Should.Throw<CheckpointMismatchException>(() => ((ITrainable)other).Load(Trained.CheckpointPath)).Message.ShouldContain("user_segment");
    }

    [Fact]
    public void Evaluate_Untrained_ClearError()
    {
        var evaluator = Trained.Build<IEvaluator>("sort", Trained.ModelYaml);
        var batch = Trained.Batch(2);
        Should.Throw<ComponentException>(() => evaluator.Evaluate(batch, [[new Slate([0, 1], 0)], [new Slate([1, 0], 0)]], Trained.Context))
            .Message.ShouldContain("not trained");
    }
}
