using Rerank.Engine;

namespace Rerank.Plugins.Baselines;

/// <summary>The training losses of the one-stage scorers, all masked to real candidates.</summary>
internal static class ListLosses
{
    private const float Padding = -1e4f;

    /// <summary>Point-wise binary cross-entropy on item logits <c>[B, N]</c>, mean over real candidates.</summary>
    public static Tensor PointwiseBce(Tensor logits, float[] labels, Tensor mask)
    {
        var targets = Tensor.FromArray(labels, logits.Shape);
        var m = mask.ToArray();
        var real = Math.Max(1f, m.Sum());
        var weights = Tensor.FromArray(m.Select(v => v * m.Length / real).ToArray(), logits.Shape);
        return Ops.BinaryCrossEntropyWithLogits(logits, targets, weights);
    }

    /// <summary>
    /// Softmax cross-entropy of the list against target weights, −Σ_i a_i log softmax(s)_i averaged over lists that
    /// have a positive target. With <paramref name="normalise"/> the targets are a_i = ψ(y_i)/Σ_k ψ(y_k), ψ(y) = e^y for
    /// y &gt; 0 else 0 (the attention rank loss of DLCM, Ai et al. 2018 §4.2, also used by SetRank); without, a_i = y_i
    /// (PRM's loss, Pei et al. 2019 eq. 6).
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, float[] labels, Tensor mask, bool normalise)
    {
        var b = logits.Shape[0];
        var n = logits.Shape[1];
        var m = mask.ToArray();
        var targets = new float[b * n];
        var offsets = new float[b * n];
        var lists = 0;
        for (var r = 0; r < b; r++)
        {
            var total = 0f;
            for (var i = 0; i < n; i++)
            {
                var at = (r * n) + i;
                offsets[at] = m[at] > 0f ? 0f : Padding;
                var y = m[at] > 0f ? labels[at] : 0f;
                targets[at] = normalise ? (y > 0f ? MathF.Exp(y) : 0f) : y;
                total += targets[at];
            }

            if (total > 0f)
            {
                lists++;
                if (normalise)
                {
                    for (var i = 0; i < n; i++)
                    {
                        targets[(r * n) + i] /= total;
                    }
                }
            }
        }

        var logp = Ops.LogSoftmax(Ops.Add(logits, Tensor.FromArray(offsets, logits.Shape)));
        var weighted = Ops.Sum(Ops.Mul(logp, Tensor.FromArray(targets, logits.Shape)));
        return Ops.Affine(weighted, -1f / Math.Max(1, lists), 0f);
    }
}
