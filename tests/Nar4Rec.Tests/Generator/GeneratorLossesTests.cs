using Rerank.Engine;

namespace Rerank.Plugins.Nar4Rec.Tests.Generator;

public sealed class GeneratorLossesTests
{
    // Two lists, two positions, three candidates; log p̂ given directly.
    private static readonly float[] P = [0.5f, 0.3f, 0.2f, 0.1f, 0.6f, 0.3f, 0.7f, 0.2f, 0.1f, 0.25f, 0.25f, 0.5f];

    [Fact]
    public void Sequence_PositiveAndNegativeLists_MatchesEq13AndEq14()
    {
        var logp = Tensor.FromArray([.. P.Select(p => MathF.Log(p))], new TensorShape(2, 2, 3));
        int[] targets = [0, 1, 2, -1];
        var loss = GeneratorLosses.Sequence(logp, targets, [true, false]).ToScalar();
        var positive = -(MathF.Log(0.5f) + MathF.Log(0.6f)); // eq. 13: −Σ_j log p̂_{y_j j}
        var negative = -MathF.Log(1f - 0.1f); // eq. 14: −Σ_j log(1 − p̂_{y_j j}); the padded position is ignored
        loss.ShouldBe((positive + negative) / 2f, 1e-4f);
    }

    [Fact]
    public void Sequence_AllPositive_IsPlainLikelihood()
    {
        var logp = Tensor.FromArray([.. P.Select(p => MathF.Log(p))], new TensorShape(2, 2, 3));
        var loss = GeneratorLosses.Sequence(logp, [0, 1, 2, 0], [true, true]).ToScalar();
        loss.ShouldBe(-(MathF.Log(0.5f) + MathF.Log(0.6f) + MathF.Log(0.1f) + MathF.Log(0.25f)) / 2f, 1e-4f);
    }

    [Fact]
    public void Contrastive_HandCheckedPairs_MatchesEq18()
    {
        // Three 2-d vectors: a, b at 60° (cos 0.5), c orthogonal to a (cos(a,c) = 0, cos(b,c) = √3/2).
        var h = Tensor.FromArray([1f, 0f, 0.5f, MathF.Sqrt(3) / 2f, 0f, 2f], new TensorShape(1, 3, 2));
        const float Rho = 0.8f;
        var loss = GeneratorLosses.Contrastive(h, [1f, 1f, 1f], Rho).ToScalar();
        float Hinge(float s) => MathF.Max(0f, Rho - 1f + s); // max{0, ρ − s(h_i, h_i) + s(h_i, h_j)}
        var expected = 2f * (Hinge(0.5f) + Hinge(0f) + Hinge(MathF.Sqrt(3) / 2f)) / 6f;
        loss.ShouldBe(expected, 1e-4f);
    }

    [Fact]
    public void Contrastive_PaddingMasked_PairsWithPaddingIgnored()
    {
        var h = Tensor.FromArray([1f, 0f, 1f, 0f, 1f, 0.01f], new TensorShape(1, 3, 2));
        var masked = GeneratorLosses.Contrastive(h, [1f, 0f, 0f], 0.5f).ToScalar();
        masked.ShouldBe(0f);
    }
}
