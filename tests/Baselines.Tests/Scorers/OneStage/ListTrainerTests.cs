using Rerank.Abstractions;
using Rerank.Conformance;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.Baselines.Tests.Scorers.OneStage;

/// <summary>The shared list training loop (Rerank.Plugins.Common) as the Baselines scorers use it.</summary>
public sealed class ListTrainerTests
{
    [Theory]
    [InlineData("dcn", "")]
    [InlineData("prm", "\nlayers: 1")]
    [InlineData("dlcm", "")]
    public void Train_InitialOrderWithPositionBias_TrainingLossFalls(string name, string extra)
    {
        var scorer = ComponentBuilder.Build<IStepScorer>(
            new BaselinesPlugin(), name, "epochs: 6\nhidden: 16\nbatch_size: 16\nlearning_rate: 0.003\ninitial_order: true\nposition_bias: true" + extra, new SyntheticData().Schema, 3);
        var result = ((ITrainable)scorer).Train(new SyntheticData().Training(96, 4), new TrainingContext(4));
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss, $"{name}: loss curve {string.Join(", ", result.Curve.Select(c => c.TrainLoss))}");
    }
}
