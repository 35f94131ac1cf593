using Rerank.Abstractions;

namespace Rerank.Abstractions.Tests.Data;

public sealed class RequestValidatorTests
{
    private static readonly FeatureSchema Schema = new(
        [new FeatureField("item_id", FeatureKind.Categorical, FeatureSide.Item, 100), new FeatureField("log_price", FeatureKind.Dense, FeatureSide.Item, 1)],
        ["ctr", "cvr"],
        2);

    private static Item Candidate(string id, float ctr = 0.1f) =>
        new() { Id = id, Categorical = [1], Dense = [0.5f], Priors = [ctr, 0.2f], Embedding = [1, 0], Price = 3 };

    private static RerankRequest Request(IReadOnlyList<Item> candidates, int slateSize = 2) =>
        new() { RequestId = "r7", Candidates = candidates, SlateSize = slateSize };

    [Fact]
    public void Validate_ValidRequest_HasNoProblems() =>
        RequestValidator.Validate(Request([Candidate("a"), Candidate("b")]), Schema).ShouldBeEmpty();

    [Fact]
    public void Validate_EmptyCandidates_SaysSo() =>
        RequestValidator.Validate(Request([]), Schema).ShouldHaveSingleItem().ShouldBe("request 'r7': candidates is empty; at least one candidate is required");

    [Fact]
    public void Validate_SlateLargerThanCandidates_NamesBothNumbers() =>
        RequestValidator.Validate(Request([Candidate("a")], slateSize: 3), Schema).ShouldHaveSingleItem()
            .ShouldBe("request 'r7': slate_size L = 3 exceeds the number of candidates N = 1");

    [Fact]
    public void Validate_NaNPrior_NamesCandidateFieldAndIndex() =>
        RequestValidator.Validate(Request([Candidate("a"), Candidate("b", float.NaN)]), Schema).ShouldHaveSingleItem()
            .ShouldBe("request 'r7': candidates[1] (id 'b'): priors[0] is NaN; values must be finite (no NaN or infinity)");

    [Fact]
    public void Validate_InfinitePrice_NamesTheCandidate()
    {
        var bad = new Item { Id = "x", Categorical = [1], Dense = [0.5f], Priors = [0.1f, 0.1f], Price = float.PositiveInfinity };
        RequestValidator.Validate(Request([Candidate("a"), bad]), Schema).ShouldHaveSingleItem().ShouldContain("candidates[1] (id 'x'): price is");
    }

    [Fact]
    public void Validate_DuplicateIds_NamesTheIdAndPosition() =>
        RequestValidator.Validate(Request([Candidate("a"), Candidate("a")]), Schema).ShouldHaveSingleItem()
            .ShouldBe("request 'r7': duplicate candidate id 'a' at candidates[1]");

    [Fact]
    public void Validate_WrongWidths_ReportsEachAgainstTheSchema()
    {
        var bad = new Item { Id = "w", Categorical = [], Dense = [1, 2], Priors = [0.1f], Embedding = [1, 2, 3] };
        var problems = RequestValidator.Validate(Request([Candidate("a"), bad]), Schema);
        problems.Count.ShouldBe(4);
        problems.ShouldContain(p => p.Contains("has 1 priors; the schema expects 2 (ctr, cvr)", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains("has 0 categorical features; the schema expects 1", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains("has 2 dense values; the schema expects 1", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains("embedding has width 3; the schema expects 2", StringComparison.Ordinal));
    }
}
