using Rerank.Evaluation.Metrics;

namespace Rerank.Evaluation.Tests.Metrics;

public sealed class ClassificationMetricsTests
{
    public static TheoryData<int> Cases() => MetricVectors.CaseIndices();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Auc_GoldenVectors_Match(int index)
    {
        var c = MetricVectors.Case(index);
        ClassificationMetrics.Auc(c.Scores, c.Labels).ShouldBe(c.Expected["auc"], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogLoss_GoldenVectors_Match(int index)
    {
        var c = MetricVectors.Case(index);
        ClassificationMetrics.LogLoss(c.Scores, c.Labels).ShouldBe(c.Expected["logloss"], 1e-9);
    }

    [Fact]
    public void Auc_TiedScores_AveragedLikeScikitLearn()
    {
        // Positives {0.5, 0.8}, negatives {0.5, 0.2}: pairs (0.5,0.5) tie = 1/2, others win: (1/2 + 1 + 1 + 1) / 4.
        ClassificationMetrics.Auc([0.5, 0.8, 0.5, 0.2], [1, 1, 0, 0]).ShouldBe(0.875, 1e-15);
        ClassificationMetrics.Auc([0.3, 0.3, 0.3], [1, 0, 0]).ShouldBe(0.5, 1e-15);
    }

    [Fact]
    public void Auc_OneClass_IsNaN() => double.IsNaN(ClassificationMetrics.Auc([0.1, 0.2], [1, 1])).ShouldBeTrue();

    [Fact]
    public void GroupAuc_GoldenVector_Matches()
    {
        var (scores, labels, sizes, expected) = MetricVectors.Gauc();
        ClassificationMetrics.GroupAuc(scores, labels, sizes).ShouldBe(expected, 1e-12);
    }

    [Fact]
    public void GroupAuc_OneClassGroupsSkipped_WeightedBySize()
    {
        // Group 1 (size 2): AUC 1; group 2 (size 3, one class): skipped; group 3 (size 4): AUC 0.25.
        double[] scores = [0.9, 0.1, 0.5, 0.6, 0.7, 0.1, 0.2, 0.3, 0.4];
        double[] labels = [1, 0, 1, 1, 1, 0, 1, 0, 0];
        var auc3 = ClassificationMetrics.Auc([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 0]);
        auc3.ShouldBe(1.0 / 3, 1e-15);
        ClassificationMetrics.GroupAuc(scores, labels, [2, 3, 4]).ShouldBe(((2 * 1.0) + (4 * auc3)) / 6, 1e-15);
    }

    [Fact]
    public void GroupAuc_SizesNotCoveringScores_Throws() =>
        Should.Throw<ArgumentException>(() => ClassificationMetrics.GroupAuc([0.1, 0.2], [0, 1], [1])).Message.ShouldContain("cover 1 of 2");

    [Fact]
    public void LogLoss_ExtremeProbabilities_AreClipped()
    {
        var loss = ClassificationMetrics.LogLoss([0.0, 1.0], [1, 0]);
        loss.ShouldBe(-Math.Log(1e-7), 1e-9);
        ClassificationMetrics.LogLoss([0.0], [1], epsilon: 1e-3).ShouldBe(-Math.Log(1e-3), 1e-12);
    }

    [Fact]
    public void LogLoss_HandComputed()
    {
        ClassificationMetrics.LogLoss([0.8, 0.25], [1, 0]).ShouldBe(-(Math.Log(0.8) + Math.Log(0.75)) / 2, 1e-15);
    }

    [Fact]
    public void Auc_NaNScore_Throws() =>
        Should.Throw<ArgumentException>(() => ClassificationMetrics.Auc([double.NaN, 0.1], [1, 0])).Message.ShouldContain("not finite");

    [Fact]
    public void Auc_LengthMismatch_Throws() =>
        Should.Throw<ArgumentException>(() => ClassificationMetrics.Auc([0.2, 0.1], [1])).Message.ShouldContain("2 scores but 1 labels");
}
