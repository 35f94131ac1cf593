using Rerank.Abstractions;
using Rerank.Conformance;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.Baselines.Tests.Scorers.OneStage;

public sealed class ListScorerTests
{
    private static readonly SyntheticData Data = new();

    [Theory]
    [InlineData("dnn", "")]
    [InlineData("dcn", "")]
    [InlineData("dlcm", "")]
    [InlineData("prm", "\nlayers: 1")]
    [InlineData("setrank", "\nlayers: 1\ninducing: 4")]
    public void Train_SeveralEpochs_TrainingLossFalls(string name, string extra)
    {
        var scorer = Build(name, "epochs: 6\nhidden: 16\nbatch_size: 16\nlearning_rate: 0.003" + extra);
        var result = ((ITrainable)scorer).Train(Data.Training(96, 4), new TrainingContext(4));
        result.Curve.Count.ShouldBe(6);
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss, $"{name}: loss curve {string.Join(", ", result.Curve.Select(c => c.TrainLoss))}");
        result.Curve[^1].ValidationLoss.ShouldNotBeNull();
    }

    [Fact]
    public void Begin_Untrained_ThrowsNamingTheComponent()
    {
        var scorer = Build("dnn", "");
        var batch = RerankBatch.Create(Data.Schema, Data.Requests(2, 1));
        Should.Throw<InvalidOperationException>(() => scorer.Begin(batch, new RerankContext(1))).Message.ShouldContain("dnn");
    }

    [Fact]
    public void Load_OtherComponentsCheckpoint_ThrowsNamingTheMismatch()
    {
        var dnn = Build("dnn", "epochs: 1\nhidden: 16");
        ((ITrainable)dnn).Train(Data.Training(16, 1), new TrainingContext(1));
        var path = Path.Combine(Path.GetTempPath(), $"dnn-{Guid.NewGuid():N}.safetensors");
        try
        {
            ((ITrainable)dnn).Save(path);
            var dcn = Build("dcn", "hidden: 16");
            Should.Throw<Exception>(() => ((ITrainable)dcn).Load(path)).Message.ShouldContain("component");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Score_PermutedList_SetRankScoresFollowTheirItems()
    {
        var scorer = Build("setrank", "epochs: 1\nhidden: 16\nlayers: 1\ninducing: 4");
        ((ITrainable)scorer).Train(Data.Training(16, 1), new TrainingContext(1));
        var request = Data.Requests(1, 7)[0];
        var reversed = new RerankRequest
        {
            RequestId = request.RequestId,
            UserCategorical = request.UserCategorical,
            UserDense = request.UserDense,
            ContextCategorical = request.ContextCategorical,
            ContextDense = request.ContextDense,
            History = request.History,
            Candidates = [.. request.Candidates.Reverse()],
            SlateSize = request.SlateSize,
        };
        var forward = ((ListScorer)scorer).Score(RerankBatch.Create(Data.Schema, [request]));
        var backward = ((ListScorer)scorer).Score(RerankBatch.Create(Data.Schema, [reversed]));
        var n = request.Candidates.Count;
        for (var i = 0; i < n; i++)
        {
            backward[n - 1 - i].ShouldBe(forward[i], 1e-4f);
        }
    }

    private static IStepScorer Build(string name, string yaml) =>
        ComponentBuilder.Build<IStepScorer>(new BaselinesPlugin(), name, yaml, Data.Schema, 3);
}
