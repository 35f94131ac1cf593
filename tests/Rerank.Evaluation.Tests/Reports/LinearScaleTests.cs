using Rerank.Evaluation.Reports;

namespace Rerank.Evaluation.Tests.Reports;

public sealed class LinearScaleTests
{
    [Theory]
    [InlineData(0, 0.93, 0, 1, 0.2)]
    [InlineData(0, 1, 0, 1, 0.2)]
    [InlineData(0.13, 0.87, 0, 1, 0.2)]
    [InlineData(3, 97, 0, 100, 20)]
    [InlineData(-1.3, 2.2, -2, 3, 1)]
    [InlineData(0.0031, 0.0974, 0, 0.1, 0.02)]
    public void Nice_Bounds_WidenToNiceTicks(double lo, double hi, double min, double max, double step)
    {
        var scale = LinearScale.Nice(lo, hi, 0, 100);

        scale.Min.ShouldBe(min, 1e-12);
        scale.Max.ShouldBe(max, 1e-12);
        scale.Step.ShouldBe(step, 1e-12);
        scale.Ticks[0].ShouldBe(min, 1e-12);
        scale.Ticks[^1].ShouldBe(max, 1e-12);
    }

    [Fact]
    public void Ticks_FractionalStep_HaveNoFloatingPointDust()
    {
        LinearScale.Nice(0, 0.9, 0, 1).Ticks.ShouldBe([0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    [Fact]
    public void Map_InvertedPixelRange_PutsMinAtBottom()
    {
        var scale = LinearScale.Nice(0, 1, 250, 50);

        scale.Map(0).ShouldBe(250);
        scale.Map(1).ShouldBe(50);
        scale.Map(0.5).ShouldBe(150);
    }

    [Theory]
    [InlineData(0, 0, 0, 0.5)]
    [InlineData(2, 2, 1, 3)]
    [InlineData(-4, -4, -6, -2)]
    public void Nice_SingleValue_ShowsItInsideAWindow(double lo, double hi, double min, double max)
    {
        var scale = LinearScale.Nice(lo, hi, 0, 100);

        scale.Min.ShouldBe(min, 1e-12);
        scale.Max.ShouldBe(max, 1e-12);
        scale.Max.ShouldBeGreaterThan(scale.Min);
    }

    [Fact]
    public void Nice_ReversedBounds_AreSwapped()
    {
        var scale = LinearScale.Nice(10, 0, 0, 100);

        (scale.Min, scale.Max).ShouldBe((0, 10));
    }

    [Fact]
    public void Nice_NaN_IsAnErrorNamingTheBounds()
    {
        Should.Throw<ArgumentException>(() => LinearScale.Nice(double.NaN, 1, 0, 100)).Message.ShouldContain("NaN");
    }

    [Theory]
    [InlineData(0.93, false, 1)]
    [InlineData(0.93, true, 1)]
    [InlineData(0.27, true, 0.2)]
    [InlineData(0.27, false, 0.5)]
    [InlineData(42, true, 50)]
    [InlineData(1500, false, 2000)]
    public void NiceNumber_Value_IsOneTwoOrFiveTimesAPowerOfTen(double x, bool round, double expected)
    {
        LinearScale.NiceNumber(x, round).ShouldBe(expected, 1e-9);
    }
}
