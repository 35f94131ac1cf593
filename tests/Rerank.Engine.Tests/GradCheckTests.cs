namespace Rerank.Engine.Tests;

public sealed class GradCheckTests
{
    [Fact]
    public void Check_WrongBackward_Fails()
    {
        var x = Tensor.FromArray([0.5f, -1f]);
        Tensor Square()
        {
            var y = Tensor.Empty(x.Shape);
            for (var i = 0; i < x.Count; i++)
            {
                y[i] = x[i] * x[i];
            }

            // deliberately wrong: 3x instead of 2x
            Tensor.Record(y, "BadSquare", dy => { for (var i = 0; i < x.Count; i++) { Tensor.GradOf(x)[i] += 3f * x[i] * dy[i]; } }, x);
            return y;
        }

        Should.Throw<Shouldly.ShouldAssertException>(() => GradCheck.Check(Square, x));
    }
}
