using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec.Tests.Decoding;

public sealed class ContrastiveDecoderTests
{
    // Candidates 0 and 1 are near-duplicates; 2 is orthogonal to both; 3 is opposite to 0.
    private static readonly float[][] Embeddings = [[1f, 0f], [0.99f, 0.141f], [0f, 1f], [-1f, 0f]];

    // Position 0 prefers 0; position 1 prefers 1 (0.5) over 2 (0.3).
    private static readonly float[][] P = [[0.6f, 0.2f, 0.1f, 0.1f], [0.1f, 0.5f, 0.3f, 0.1f]];

    [Fact]
    public void Decode_AlphaZero_FollowsTheModelProbability()
    {
        var slates = Decode([0f], 1);
        slates[0][0].Indices.ShouldBe([0, 1]);
        slates[0][0].Score.ShouldBe(Math.Log(0.6) + Math.Log(0.5), 1e-5);
    }

    [Fact]
    public void Decode_AlphaHalf_PenalisesTheNearDuplicate()
    {
        // eq. 16 at position 1: (1 − α)p − α·max s: candidate 1: 0.5·0.5 − 0.5·0.99 < 0; candidate 2: 0.5·0.3 − 0 = 0.15; candidate 3: 0.05 + 0.5 = 0.55.
        var slates = Decode([0.5f], 1);
        slates[0][0].Indices.ShouldBe([0, 3]);
    }

    [Fact]
    public void Decode_SmallAlpha_TradesOffConfidenceAndSimilarity()
    {
        // α = 0.2: candidate 1: 0.8·0.5 − 0.2·0.99 = 0.202; candidate 2: 0.8·0.3 − 0.2·0 = 0.24; candidate 3: 0.08 + 0.2 = 0.28.
        Decode([0.2f], 1)[0][0].Indices.ShouldBe([0, 3]);

        // α = 0.1: candidate 1: 0.45 − 0.099 = 0.351; candidate 2: 0.27; candidate 3: 0.09 + 0.1 = 0.19.
        Decode([0.1f], 1)[0][0].Indices.ShouldBe([0, 1]);
    }

    [Fact]
    public void Decode_SeveralAlphas_DistinctSlatesBestFirst()
    {
        var slates = Decode([0f, 0.1f, 0.5f, 0.9f], 4);
        slates[0].Select(s => string.Join(",", s.Indices)).Distinct().Count().ShouldBe(slates[0].Count);
        slates[0].Count.ShouldBe(2); // α = 0 and 0.1 give [0, 1]; 0.5 and 0.9 give [0, 3]
        slates[0][0].Score.ShouldBeGreaterThanOrEqualTo(slates[0][1].Score);
    }

    [Fact]
    public void Decode_CountBelowAlphas_UsesTheFirstK()
    {
        Decode([0f, 0.5f], 1)[0].Single().Indices.ShouldBe([0, 1]);
    }

    private static IReadOnlyList<Slate>[] Decode(float[] alphas, int count)
    {
        var decoder = new ContrastiveDecoder(new ContrastiveOptions { Alphas = alphas }, "contrastive");
        return decoder.Decode(Support.Hand(Embeddings, 2), new TableScorer(P), null, count, new RerankContext(1));
    }
}
