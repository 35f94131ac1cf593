using System.Runtime.Intrinsics;
using Rerank.Engine.Backends.Cpu;

namespace Rerank.Engine.Tests;

/// <summary>The vector exp and GELU stay finite at the ends of the float range (a regression: e^88.7 overflowed to +∞).</summary>
public sealed class VectorMathTests
{
    [Theory]
    [InlineData(88.0f)]
    [InlineData(88.7f)]
    [InlineData(1000f)]
    [InlineData(float.PositiveInfinity)]
    public void Exp_LargeInputs_SaturateFinite(float x)
    {
        float.IsFinite(VectorMath.Exp(x)).ShouldBeTrue();
        float.IsFinite(VectorMath.Exp(Vector256.Create(x)).GetElement(3)).ShouldBeTrue();
    }

    [Fact]
    public void Exp_InRange_MatchesDoublePrecision()
    {
        for (var x = -87f; x <= 88.3f; x += 0.37f)
        {
            var expected = Math.Exp(x);
            ((double)VectorMath.Exp(Vector256.Create(x)).GetElement(0)).ShouldBe(expected, expected * 1e-6);
        }
    }

    [Theory]
    [InlineData(-5f)]
    [InlineData(-30f)]
    [InlineData(-1e4f)]
    [InlineData(-3e38f)]
    public void Gelu_VeryNegative_IsZeroNotNaN(float x)
    {
        var vector = VectorMath.Gelu(Vector256.Create(x)).GetElement(0);
        float.IsNaN(vector).ShouldBeFalse();
        Math.Abs(vector).ShouldBeLessThan(1e-5f);
        float.IsNaN(VectorMath.Gelu(x)).ShouldBeFalse();
    }
}
