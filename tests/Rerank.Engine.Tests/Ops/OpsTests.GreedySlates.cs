using static Rerank.Engine.Tests.GradCheck;

namespace Rerank.Engine.Tests;

/// <summary><see cref="Ops.GreedySlates(Tensor)"/> on the CPU backend (the GPU kernel is checked against it by CudaSelfTest).</summary>
public sealed partial class OpsTests
{
    [Fact]
    public void GreedySlates_TakesEachPositionsBestUntakenCandidate()
    {
        // Row 0: position 0 prefers c2; position 1 also prefers c2 (taken) → c0; position 2 → c1, the only one left
        // of the top two. Row 1: every position prefers c3 first, then the next best untaken.
        var scores = Tensor.FromArray(
        [
            0.5f, 0.1f, 0.9f, 0.0f,
            0.6f, 0.2f, 0.8f, 0.1f,
            0.0f, 0.7f, 0.9f, 0.3f,
            0.1f, 0.2f, 0.3f, 0.4f,
            0.4f, 0.3f, 0.2f, 0.5f,
            0.3f, 0.3f, 0.3f, 0.9f,
        ], S(2, 3, 4));
        Ops.GreedySlates(scores).ShouldBe([2, 0, 1, 3, 0, 1]);
    }

    [Fact]
    public void GreedySlates_TiesAndMaskedRows_GoToTheLowestIndex()
    {
        var inf = float.NegativeInfinity;
        var scores = Tensor.FromArray([1f, 3f, 3f, inf, inf, inf, inf, inf], S(1, 2, 4));
        Ops.GreedySlates(scores).ShouldBe([1, 0], "tie between c1 and c2 → c1; an all −∞ position → the lowest untaken");
    }

    [Fact]
    public void GreedySlates_LeadingDimsAreRows()
    {
        var scores = Tensor.FromArray([1f, 2f, 2f, 1f, 5f, 0f, 0f, 5f], S(2, 2, 1, 2));
        Ops.GreedySlates(scores).ShouldBe([1, 0, 0, 1]);
    }

    [Fact]
    public void GreedySlates_LargeBatchSplitAcrossThreads_MatchesPlainLoops()
    {
        const int rows = 1000, l = 6, n = 60; // 360 000 scores: above the threshold where rows are split across threads
        var scores = Tensor.Normal(S(rows, l, n), new Rng(5));
        var s = scores.ToArray();
        var expected = new int[rows * l];
        for (var r = 0; r < rows; r++)
        {
            var taken = new HashSet<int>();
            for (var j = 0; j < l; j++)
            {
                var best = Enumerable.Range(0, n).Where(c => !taken.Contains(c)).MaxBy(c => s[(((r * l) + j) * n) + c]);
                taken.Add(best);
                expected[(r * l) + j] = best;
            }
        }

        Ops.GreedySlates(scores).ShouldBe(expected);
    }

    [Fact]
    public void GreedySlates_BadShapeOrDestination_ThrowsNamingShapes()
    {
        Should.Throw<ArgumentException>(() => Ops.GreedySlates(Tensor.Zeros(2, 5, 4))).Message.ShouldContain("[2, 5, 4]");
        Should.Throw<ArgumentException>(() => Ops.GreedySlates(Tensor.Zeros(4))).Message.ShouldContain("L ≤ N");
        var e = Should.Throw<ArgumentException>(() => Ops.GreedySlates(Tensor.Zeros(2, 3, 4), new int[5]));
        e.Message.ShouldContain("6 picks");
    }
}
