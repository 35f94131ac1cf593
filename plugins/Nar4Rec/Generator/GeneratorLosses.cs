using Rerank.Engine;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>The training objective of the generator: eq. 13–15 (likelihood / unlikelihood) and eq. 18–20 (contrastive).</summary>
internal static class GeneratorLosses
{
    private const float Epsilon = 1e-6f;

    /// <summary>
    /// Eq. 15 averaged over lists: for each list, −Σ_j log p̂_{y_j j} when it is positive (eq. 13, R ≥ τ) and
    /// −Σ_j log(1 − p̂_{y_j j}) when it is negative (eq. 14, R &lt; τ). <paramref name="targets"/> is <c>[B, m]</c> (−1 past a
    /// list's end); <paramref name="positive"/> says which lists are positive.
    /// </summary>
    public static Tensor Sequence(Tensor logProbabilities, int[] targets, bool[] positive)
    {
        var b = positive.Length;
        var m = targets.Length / b;
        var picked = Ops.PickLast(logProbabilities, targets); // log p̂_{y_j j}, [B, m]
        var pos = new float[b * m];
        var neg = new float[b * m];
        for (var i = 0; i < b * m; i++)
        {
            if (targets[i] >= 0)
            {
                (positive[i / m] ? pos : neg)[i] = 1f / b;
            }
        }

        var shape = new TensorShape(b, m);
        var likelihood = Ops.Sum(Ops.Mul(picked, Tensor.FromArray(pos, shape, picked.Device)));
        if (!neg.Any(w => w != 0f))
        {
            return Ops.Affine(likelihood, -1f, 0f);
        }

        var oneMinus = Ops.Log(Ops.Affine(Ops.Exp(picked), -1f, 1f + Epsilon)); // log(1 − p̂), eq. 14
        var unlikelihood = Ops.Sum(Ops.Mul(oneMinus, Tensor.FromArray(neg, shape, picked.Device)));
        return Ops.Affine(Ops.Add(likelihood, unlikelihood), -1f, 0f);
    }

    /// <summary>
    /// One hinge term of eq. 18/19 over representations <paramref name="h"/> <c>[B, n, d]</c>:
    /// mean over valid pairs i ≠ j of max{0, ρ − s(h_i, h_i) + s(h_i, h_j)}, s the cosine (eq. 17, s(h_i, h_i) = 1).
    /// <paramref name="valid"/> is <c>[B, n]</c> (1 = a real item).
    /// </summary>
    public static Tensor Contrastive(Tensor h, float[] valid, float rho)
    {
        var b = h.Shape[0];
        var n = h.Shape[1];
        var norm = Ops.Sqrt(Ops.Affine(Ops.Sum(Ops.Square(h), 2, keepDim: true), 1f, 1e-8f));
        var unit = Ops.Div(h, norm);
        var s = Ops.MatMul(unit, unit, transB: true); // s(h_i, h_j), [B, n, n]
        var hinge = Ops.Relu(Ops.Affine(s, 1f, rho - 1f));
        var pairs = new float[b * n * n];
        var count = 0;
        for (var r = 0; r < b; r++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    if (i != j && valid[(r * n) + i] != 0f && valid[(r * n) + j] != 0f)
                    {
                        pairs[(((r * n) + i) * n) + j] = 1f;
                        count++;
                    }
                }
            }
        }

        return Ops.Affine(Ops.Sum(Ops.Mul(hinge, Tensor.FromArray(pairs, new TensorShape(b, n, n), h.Device))), 1f / Math.Max(1, count), 0f);
    }
}
