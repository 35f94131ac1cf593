namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>
    /// Scaled dot-product attention (Vaswani et al., eq. 1): softmax(q·kᵀ/√d_k + mask)·v.
    /// q [B, H, Nq, dk], k [B, H, Nk, dk], v [B, H, Nk, dv]; <paramref name="mask"/> (1 attend, 0 not) broadcasts to
    /// [B, H, Nq, Nk] (a key-padding mask is [B, 1, 1, Nk]); causal lets query i see keys ≤ i (+ Nk − Nq).
    /// </summary>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, Tensor? mask = null, bool causal = false, float dropout = 0f, Rng? rng = null, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(q);
        var scores = MatMul(q, k, transB: true, alpha: 1f / MathF.Sqrt(q.Shape.Last));
        var p = Softmax(scores, mask, causal);
        if (training && dropout > 0f)
        {
            p = Dropout(p, dropout, rng ?? throw new ArgumentNullException(nameof(rng), "Attention dropout needs an Rng."), training);
        }

        return MatMul(p, v);
    }
}
