using Rerank.Abstractions;

namespace Rerank.Plugins.Common.Tests.Features;

public sealed class StaticScoresTests
{
    [Fact]
    public void Score_EveryStep_ReturnsEachRowsRequestScores()
    {
        using var session = new StaticScores([1f, 2f, 3f, 4f, 5f, 6f], 3);
        var scores = new float[9];

        session.Score(new StepRows(1, [1, 0, 1], [0, 1, 2], [0, 2, 1]), scores);

        scores.ShouldBe([4f, 5f, 6f, 1f, 2f, 3f, 4f, 5f, 6f]);
    }
}
