namespace Rerank.Engine.Tests;

/// <summary>
/// Multi-head attention with gradients runs fused on the CPU (per batch and head, on the [B, N, H·dk] layouts): its output
/// and the gradients of q, k and v must be bit for bit those of the composed ops it replaces (reshape, permute,
/// α·Q·Kᵀ, masked softmax, P·V, permute back), which the test spells out.
/// </summary>
public sealed class AttentionFusionTests
{
    [Theory]
    [InlineData(5, 37, 37, 64, 4, true, false)] // dk = 16, masked keys, rows not a multiple of 6
    [InlineData(3, 6, 40, 64, 4, true, true)] // cross attention (Nq ≠ Nk), causal
    [InlineData(4, 23, 23, 48, 4, false, true)] // dk = 12, no mask
    [InlineData(1, 60, 60, 64, 1, true, false)] // one batch item, one head (the GEMMs run as single, parallel ones)
    public void MultiHeadAttention_WithGradients_EqualsTheComposedOpsBitForBit(int b, int nq, int nk, int d, int heads, bool masked, bool causal)
    {
        var q = GradCheck.Random(GradCheck.S(b, nq, d), 1);
        var k = GradCheck.Random(GradCheck.S(b, nk, d), 2);
        var v = GradCheck.Random(GradCheck.S(b, nk, d), 3);
        var w = GradCheck.Random(GradCheck.S(b, nq, d), 4);
        var mask = masked ? Mask(b, nk) : null;

        var (fy, fq, fk, fv) = Run(q, k, v, w, (q1, k1, v1) => Ops.MultiHeadAttention(q1, k1, v1, heads, mask, causal));
        var (cy, cq, ck, cv) = Run(q, k, v, w, (q1, k1, v1) => Composed(q1, k1, v1, heads, mask, causal));

        fy.ShouldBe(cy);
        fq.ShouldBe(cq);
        fk.ShouldBe(ck);
        fv.ShouldBe(cv);
    }

    [Fact]
    public void MultiHeadAttention_WithGradients_RecordsOneOp()
    {
        var q = GradCheck.Random(GradCheck.S(2, 7, 32), 1);
        q.RequiresGrad = true;
        var k = GradCheck.Random(GradCheck.S(2, 7, 32), 2);
        var v = GradCheck.Random(GradCheck.S(2, 7, 32), 3);
        Ops.MultiHeadAttention(q, k, v, 2).GradFn!.Op.ShouldBe("HeadsAttention");
    }

    private static (float[] Y, float[] Dq, float[] Dk, float[] Dv) Run(Tensor q, Tensor k, Tensor v, Tensor w, Func<Tensor, Tensor, Tensor, Tensor> attention)
    {
        var q1 = Tensor.FromArray(q.ToArray(), q.Shape);
        var k1 = Tensor.FromArray(k.ToArray(), k.Shape);
        var v1 = Tensor.FromArray(v.ToArray(), v.Shape);
        q1.RequiresGrad = k1.RequiresGrad = v1.RequiresGrad = true;
        var y = attention(q1, k1, v1);
        Ops.Sum(Ops.Mul(y, w)).Backward();
        return (y.ToArray(), q1.Grad!.ToArray(), k1.Grad!.ToArray(), v1.Grad!.ToArray());
    }

    private static Tensor Composed(Tensor q, Tensor k, Tensor v, int heads, Tensor? keyMask, bool causal)
    {
        var (b, nq, nk, d) = (q.Shape[0], q.Shape[1], k.Shape[1], q.Shape[2]);
        var dh = d / heads;
        var qh = Ops.Permute(Ops.Reshape(q, new TensorShape(b, nq, heads, dh)), 0, 2, 1, 3);
        var kh = Ops.Permute(Ops.Reshape(k, new TensorShape(b, nk, heads, dh)), 0, 2, 1, 3);
        var vh = Ops.Permute(Ops.Reshape(v, new TensorShape(b, nk, heads, dh)), 0, 2, 1, 3);
        var mask = keyMask is null ? null : Ops.Reshape(keyMask, new TensorShape(b, 1, 1, nk));
        var o = Ops.Attention(qh, kh, vh, mask, causal);
        return Ops.Reshape(Ops.Permute(o, 0, 2, 1, 3), new TensorShape(b, nq, d));
    }

    private static Tensor Mask(int b, int nk)
    {
        var rng = new Rng(5);
        var m = new float[b * nk];
        for (var i = 0; i < m.Length; i++)
        {
            m[i] = i % nk == 0 || rng.NextFloat() > 0.25f ? 1f : 0f;
        }

        return Tensor.FromArray(m, new TensorShape(b, nk));
    }
}
