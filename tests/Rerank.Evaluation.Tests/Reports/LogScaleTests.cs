using Rerank.Evaluation.Reports;

namespace Rerank.Evaluation.Tests.Reports;

public sealed class LogScaleTests
{
    [Fact]
    public void Covering_Latencies_WidensToWholeDecades()
    {
        var scale = LogScale.Covering(0.0031, 0.14, 0, 300);

        (scale.LowDecade, scale.HighDecade).ShouldBe((-3, 0));
        scale.Map(0.001).ShouldBe(0, 1e-9);
        scale.Map(1).ShouldBe(300, 1e-9);
        scale.Map(0.01).ShouldBe(100, 1e-9);
    }

    [Fact]
    public void Ticks_ManyDecades_AreDecadesOnly()
    {
        LogScale.Covering(0.0031, 0.14, 0, 300).Ticks.ShouldBe([0.001, 0.01, 0.1, 1]);
    }

    [Fact]
    public void Ticks_TwoDecades_AddTwoAndFive()
    {
        LogScale.Covering(0.3, 8, 0, 1).Ticks.ShouldBe([0.1, 0.2, 0.5, 1, 2, 5, 10]);
    }

    [Fact]
    public void Covering_OneExactDecade_SpansAtLeastOne()
    {
        var scale = LogScale.Covering(10, 10, 0, 1);

        (scale.LowDecade, scale.HighDecade).ShouldBe((1, 2));
    }

    [Fact]
    public void Map_Zero_IsTheLowEnd()
    {
        LogScale.Covering(0.01, 1, 20, 220).Map(0).ShouldBe(20);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(1, double.PositiveInfinity)]
    public void Covering_NonPositiveOrInfinite_IsAnError(double lo, double hi)
    {
        Should.Throw<ArgumentException>(() => LogScale.Covering(lo, hi, 0, 1)).Message.ShouldContain("positive finite");
    }
}
