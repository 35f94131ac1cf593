namespace Rerank.Plugins.Common.Tests.Training;

public sealed class ExposureBiasTests
{
    [Fact]
    public void Offsets_ShownPositions_PickTheirBiasAndZeroAtPadding()
    {
        var bias = new ExposureBias(3);
        bias.Parameters()[0].CopyFrom([0.5f, -1f, 2f]);
        bias.Offsets([1, 0, 2, -1], 2, 2).ToArray().ShouldBe([-1f, 0.5f, 2f, 0f]);
    }

    [Fact]
    public void Offsets_PositionBeyondTheLast_SharesTheLastOffset()
    {
        var bias = new ExposureBias(2);
        bias.Parameters()[0].CopyFrom([0.5f, -1f]);
        bias.Offsets([5, 0], 1, 2).ToArray().ShouldBe([-1f, 0.5f]);
    }
}
