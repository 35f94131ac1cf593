using Rerank.Abstractions;
using Rerank.Conformance;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.Pear.Tests;

public sealed class PearScorerTests
{
    private static readonly SyntheticData Data = new();

    [Theory]
    [InlineData("alpha: 1")]
    [InlineData("alpha: 0")]
    [InlineData("interaction: dcn")]
    [InlineData("history_length: 0")]
    [InlineData("initial_order: true\nposition_bias: true")]
    [InlineData("history_positions: false")]
    [InlineData("history_position_site: interaction")]
    public void Train_SeveralEpochs_TrainingLossFalls(string extra)
    {
        var scorer = Build("epochs: 6\nhidden: 16\ninteraction_hidden: 16\nbatch_size: 16\nlearning_rate: 0.003\n" + extra);
        var result = ((ITrainable)scorer).Train(Data.Training(96, 4), new TrainingContext(4));
        result.Curve.Count.ShouldBe(6);
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss, string.Join(", ", result.Curve.Select(c => c.TrainLoss)));
        result.Curve[^1].ValidationLoss.ShouldNotBeNull();
    }

    [Fact]
    public void Score_OtherHistory_ScoresChange()
    {
        var scorer = Trained("history_length: 8");
        var request = Data.Requests(1, 5)[0];
        request.History.Count.ShouldBeGreaterThan(0);
        var without = With(request, []);
        Scores(scorer, request).ShouldNotBe(Scores(scorer, without));
    }

    [Theory]
    [InlineData("history_positions: true")]
    [InlineData("history_positions: true\nhistory_position_site: interaction")]
    public void Score_HistoryPositionsPermutedHistory_ScoresChange(string extra)
    {
        var scorer = Trained("history_length: 8\n" + extra);
        var (newest, permuted) = NewestAndReversed(Data.Requests(1, 5)[0], 8);
        Scores(scorer, newest).ShouldNotBe(Scores(scorer, permuted));
    }

    [Fact]
    public void Score_NoHistoryPositionsPermutedHistory_ScoresUnchanged()
    {
        // Without recency the history is a set to eq. 2 and eq. 3: its order cannot matter.
        var scorer = Trained("history_length: 8\nhistory_positions: false");
        var (newest, permuted) = NewestAndReversed(Data.Requests(1, 5)[0], 8);
        Scores(scorer, newest).ShouldBe(Scores(scorer, permuted), 1e-5f);
    }

    [Fact]
    public void Score_HistoryPositionsNewestItemsCapped_OlderItemsIgnored()
    {
        // Ranks count from the newest item, so cutting the history to the cap leaves every rank (and score) unchanged.
        var scorer = Trained("history_length: 2\nhistory_positions: true");
        var request = Data.Requests(1, 5)[0];
        var history = request.History;
        history.Count.ShouldBeGreaterThan(2);
        Scores(scorer, request).ShouldBe(Scores(scorer, With(request, [.. history.Skip(history.Count - 2)])), 1e-5f);
    }

    [Fact]
    public void Load_SavedWithHistoryPositions_SameScores()
    {
        const string yaml = "epochs: 1\nhidden: 16\ninteraction_hidden: 16\nbatch_size: 16\nhistory_length: 8\nhistory_positions: true";
        var scorer = Build(yaml);
        ((ITrainable)scorer).Train(Data.Training(32, 2), new TrainingContext(2));
        var path = Path.Combine(Path.GetTempPath(), $"pear-{Guid.NewGuid():N}.safetensors");
        try
        {
            ((ITrainable)scorer).Save(path);
            var fresh = Build(yaml);
            ((ITrainable)fresh).Load(path);
            var request = Data.Requests(1, 5)[0];
            Scores(fresh, request).ShouldBe(Scores(scorer, request));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\nhistory_positions: false")]
    public void Score_HistoryLengthZero_HistoryIgnored(string extra)
    {
        var scorer = Trained("history_length: 0" + extra);
        var request = Data.Requests(1, 5)[0];
        Scores(scorer, request).ShouldBe(Scores(scorer, With(request, [])));
    }

    [Fact]
    public void Score_HistoryLengthCap_OnlyNewestItemsCount()
    {
        var scorer = Trained("history_length: 2");
        var request = Data.Requests(1, 5)[0];
        var history = request.History;
        history.Count.ShouldBeGreaterThan(2);
        Scores(scorer, request).ShouldBe(Scores(scorer, With(request, [.. history.Skip(history.Count - 2)])), 1e-5f);
    }

    [Fact]
    public void Load_OtherSchema_ThrowsNamingTheSchema()
    {
        var scorer = Trained("");
        var path = Path.Combine(Path.GetTempPath(), $"pear-{Guid.NewGuid():N}.safetensors");
        try
        {
            ((ITrainable)scorer).Save(path);
            var other = new FeatureSchema([new FeatureField("x", FeatureKind.Categorical, FeatureSide.Item, 3)], ["ctr"], 0);
            var fresh = ComponentBuilder.Build<IStepScorer>(new PearPlugin(), "pear", "hidden: 16\ninteraction_hidden: 16", other, 3);
            Should.Throw<Exception>(() => ((ITrainable)fresh).Load(path)).Message.ShouldContain("schema");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Begin_Untrained_ThrowsNamingTheComponent()
    {
        var scorer = Build("");
        Should.Throw<InvalidOperationException>(() => scorer.Begin(RerankBatch.Create(Data.Schema, Data.Requests(1, 1)), new RerankContext(1)))
            .Message.ShouldContain("pear");
    }

    private static IStepScorer Trained(string extra)
    {
        var scorer = Build("epochs: 1\nhidden: 16\ninteraction_hidden: 16\nbatch_size: 16\n" + extra);
        ((ITrainable)scorer).Train(Data.Training(32, 2), new TrainingContext(2));
        return scorer;
    }

    private static (RerankRequest Newest, RerankRequest Reversed) NewestAndReversed(RerankRequest request, int cap)
    {
        var newest = request.History.Skip(Math.Max(0, request.History.Count - cap)).ToArray();
        newest.Length.ShouldBeGreaterThan(2);
        return (With(request, newest), With(request, [.. newest.Reverse()]));
    }

    private static float[] Scores(IStepScorer scorer, RerankRequest request)
    {
        var batch = RerankBatch.Create(Data.Schema, [request]);
        return ((PearScorer)scorer).Weights.Predict(batch).Items;
    }

    private static RerankRequest With(RerankRequest r, IReadOnlyList<Item> history) => new()
    {
        RequestId = r.RequestId,
        UserId = r.UserId,
        UserCategorical = r.UserCategorical,
        UserDense = r.UserDense,
        ContextCategorical = r.ContextCategorical,
        ContextDense = r.ContextDense,
        History = history,
        Candidates = r.Candidates,
        SlateSize = r.SlateSize,
    };

    private static IStepScorer Build(string yaml) => ComponentBuilder.Build<IStepScorer>(new PearPlugin(), "pear", yaml, Data.Schema, 3);
}
