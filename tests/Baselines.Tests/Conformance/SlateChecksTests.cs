using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Baselines.Tests.Conformance;

/// <summary>The conformance suite's slate checks reject what they must (so a passing suite means something).</summary>
public sealed class SlateChecksTests
{
    private static readonly RerankBatch Batch = Tiny.Batch([0.1f, 0.2f, 0.3f], slateSize: 2);

    [Fact]
    public void Check_ValidSlates_Passes()
    {
        SlateChecks.Check("ok", Batch, [[new Slate([0, 1], 0), new Slate([1, 0], 0)]], 2, SlateChecks.Length.ExactlyL);
    }

    [Theory]
    [InlineData(new[] { 0, 0 }, "repeats an item")]
    [InlineData(new[] { 0, 3 }, "not a real candidate")]
    [InlineData(new[] { 0, 1, 2 }, "exactly L = 2")]
    public void Check_BadSlate_FailsNamingTheProblem(int[] indices, string message)
    {
        Should.Throw<ShouldAssertException>(() => SlateChecks.Check("bad", Batch, [[new Slate(indices, 0)]], 1, SlateChecks.Length.ExactlyL))
            .Message.ShouldContain(message);
    }

    [Fact]
    public void Check_RepeatedSlateOrTooMany_Fails()
    {
        Should.Throw<ShouldAssertException>(() => SlateChecks.Check("dup", Batch, [[new Slate([0, 1], 0), new Slate([0, 1], 0)]], 2, SlateChecks.Length.ExactlyL));
        Should.Throw<ShouldAssertException>(() => SlateChecks.Check("many", Batch, [[new Slate([0, 1], 0), new Slate([1, 0], 0)]], 1, SlateChecks.Length.ExactlyL));
    }

    [Fact]
    public void ParentCheckingScorer_WrongParent_Throws()
    {
        var batch = Tiny.Synthetic(2);
        using var session = new ParentCheckingScorer().Begin(batch, Tiny.Context);
        var scores = new float[2 * batch.MaxCandidates];
        session.Score(new StepRows(0, [0, 1], [-1, -1], []), scores);
        session.Score(new StepRows(1, [0, 1], [0, 1], [0, 0]), scores);

        Should.Throw<InvalidOperationException>(() => session.Score(new StepRows(2, [0, 1], [1, 0], [0, 1, 0, 1]), scores))
            .Message.ShouldContain("parent 1 was of request 1");
    }

    [Fact]
    public void SyntheticData_SameSeed_SameRequests()
    {
        var a = new SyntheticData().Requests(4, 9);
        var b = new SyntheticData().Requests(4, 9);

        a.Select(r => r.RequestId).ShouldBe(b.Select(r => r.RequestId));
        a.SelectMany(r => r.Candidates.SelectMany(c => c.Priors)).ShouldBe(b.SelectMany(r => r.Candidates.SelectMany(c => c.Priors)));
        a.Select(r => r.GroundTruth!.Utility([0, 1])).ShouldBe(b.Select(r => r.GroundTruth!.Utility([0, 1])));
        a.Select(r => r.Candidates.Count).Distinct().Count().ShouldBeGreaterThan(1, "batches need padding");
    }
}
