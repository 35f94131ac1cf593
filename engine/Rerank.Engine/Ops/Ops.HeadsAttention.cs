namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>
    /// Multi-head scaled dot-product attention on projections laid out [B, N, H·dk] (head h in columns
    /// h·dk … (h+1)·dk − 1), output in the same layout. Without gradients or dropout it runs one fused kernel
    /// (no permutes, scores never leave cache); with gradients, where the backend fuses it, one recorded op per
    /// (batch, head) on the same layouts with the composed ops' values; otherwise (dropout, a backend that does not fuse)
    /// it splits heads and records the composed ops.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree or the width does not split into heads.</exception>
    public static Tensor MultiHeadAttention(Tensor q, Tensor k, Tensor v, int heads, Tensor? keyMask = null, bool causal = false, float dropout = 0f, Rng? rng = null, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        SameDevice(q, k, "MultiHeadAttention");
        SameDevice(q, v, "MultiHeadAttention");
        if (keyMask is not null)
        {
            SameDevice(q, keyMask, "MultiHeadAttention");
        }

        if (q.Rank != 3 || k.Rank != 3 || v.Shape != k.Shape || q.Shape[0] != k.Shape[0] || q.Shape[2] != k.Shape[2] || heads <= 0 || q.Shape[2] % heads != 0)
        {
            throw new ArgumentException($"MultiHeadAttention: q {q.Shape}, k {k.Shape}, v {v.Shape} must be [B, N, H·dk] with H = {heads} dividing the width.");
        }

        var b = q.Shape[0];
        var nq = q.Shape[1];
        var nk = k.Shape[1];
        var d = q.Shape[2];
        if (keyMask is not null && keyMask.Shape != new TensorShape(b, nk))
        {
            throw new ArgumentException($"MultiHeadAttention: key mask {keyMask.Shape} must be [{b}, {nk}].", nameof(keyMask));
        }

        var needsGrad = Autograd.IsEnabled && (q.RequiresGrad || k.RequiresGrad || v.RequiresGrad);
        if (!needsGrad && !(training && dropout > 0f))
        {
            var y = Out(q.Shape, q);
            B(q).HeadsAttention(q, k, v, heads, keyMask, causal, y);
            return y;
        }

        if (!(training && dropout > 0f) && B(q).FusesKernels() && !ReferenceEquals(q, k) && !ReferenceEquals(q, v) && !ReferenceEquals(k, v))
        {
            // One recorded op instead of eleven (reshapes, permutes, two MatMuls, softmax), the same values.
            var probabilities = Out(new TensorShape(b, heads, nq, nk), q);
            var output = Out(q.Shape, q);
            if (B(q).TryHeadsAttentionForward(q, k, v, heads, keyMask, causal, probabilities, output))
            {
                Tensor.Record(
                    output,
                    "HeadsAttention",
                    dy =>
                    {
                        bool freshQ = false, freshK = false, freshV = false;
                        var dq = q.RequiresGrad ? Tensor.GradForProduct(q, out freshQ) : null;
                        var dk = k.RequiresGrad ? Tensor.GradForProduct(k, out freshK) : null;
                        var dv = v.RequiresGrad ? Tensor.GradForProduct(v, out freshV) : null;
                        B(dy).HeadsAttentionBackward(q, k, v, heads, probabilities, dy, dq, dk, dv, !freshQ, !freshK, !freshV);
                    },
                    q,
                    k,
                    v);
                return output;
            }
        }

        var dh = d / heads;
        var qh = Permute(Reshape(q, new TensorShape(b, nq, heads, dh)), 0, 2, 1, 3);
        var kh = Permute(Reshape(k, new TensorShape(b, nk, heads, dh)), 0, 2, 1, 3);
        var vh = Permute(Reshape(v, new TensorShape(b, nk, heads, dh)), 0, 2, 1, 3);
        var mask = keyMask is null ? null : Reshape(keyMask, new TensorShape(b, 1, 1, nk));
        var o = Attention(qh, kh, vh, mask, causal, dropout, rng, training);
        return Reshape(Permute(o, 0, 2, 1, 3), new TensorShape(b, nq, d));
    }
}
