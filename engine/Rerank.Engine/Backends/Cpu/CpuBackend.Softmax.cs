using System.Numerics.Tensors;

namespace Rerank.Engine.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Softmax(Tensor x, Tensor? mask, bool causal, bool log, Tensor y)
    {
        var sx = S(x);
        var sy = S(y);
        var c = x.Shape.Last;
        var rows = x.Count / Math.Max(1, c);
        var rank = x.Rank;
        var nq = rank >= 2 ? x.Shape[-2] : 1;
        Span<int> ms = stackalloc int[TensorShape.MaxRank];
        Span<int> idx = stackalloc int[TensorShape.MaxRank];
        idx.Clear();
        var sm = mask is null ? default : S(mask);
        if (mask is not null)
        {
            BroadcastStrides(mask.Shape, x.Shape, ms);
        }

        var mLast = mask is null ? 0 : ms[rank - 1];
        for (var r = 0; r < rows; r++)
        {
            var xr = sx.Slice(r * c, c);
            var yr = sy.Slice(r * c, c);
            if (mask is null && !causal)
            {
                Row(xr, yr, log);
                continue;
            }

            var limit = causal ? (r % nq) + (c - nq) : c - 1;
            var moff = 0;
            if (mask is not null)
            {
                for (var d = 0; d < rank - 1; d++)
                {
                    moff += idx[d] * ms[d];
                }

                Increment(idx, x.Shape, rank - 1);
            }

            var kept = 0;
            for (var j = 0; j < c; j++)
            {
                var keep = j <= limit && (mask is null || sm[moff + (j * mLast)] != 0f);
                yr[j] = keep ? xr[j] : float.NegativeInfinity;
                kept += keep ? 1 : 0;
            }

            if (kept == 0)
            {
                yr.Fill(log ? float.NegativeInfinity : 0f);
                continue;
            }

            Row(yr, yr, log);
        }
    }

    /// <summary>One row: subtract the max, exponentiate, normalise (log: subtract log Σ e).</summary>
    private static void Row(ReadOnlySpan<float> x, Span<float> y, bool log)
    {
        var max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        if (!log)
        {
            TensorPrimitives.Exp(y, y);
            TensorPrimitives.Multiply(y, 1f / TensorPrimitives.Sum(y), y);
            return;
        }

        var sum = 0f;
        foreach (var v in y)
        {
            sum += MathF.Exp(v);
        }

        TensorPrimitives.Subtract(y, MathF.Log(sum), y);
    }

    public void SoftmaxBackward(Tensor y, Tensor dy, bool log, Tensor dx)
    {
        var sy = S(y);
        var sg = S(dy);
        var sd = S(dx);
        var c = y.Shape.Last;
        var rows = y.Count / Math.Max(1, c);
        for (var r = 0; r < rows; r++)
        {
            var yr = sy.Slice(r * c, c);
            var gr = sg.Slice(r * c, c);
            var dr = sd.Slice(r * c, c);
            if (!log)
            {
                // ∂softmax: dx = y ⊙ (dy − ⟨dy, y⟩)
                var dot = TensorPrimitives.Dot(gr, yr);
                for (var j = 0; j < c; j++)
                {
                    dr[j] += yr[j] * (gr[j] - dot);
                }

                continue;
            }

            // ∂log-softmax: dx = dy − e^y · Σ dy, over kept entries (y = −∞ marks a dropped one).
            var sum = 0f;
            for (var j = 0; j < c; j++)
            {
                sum += float.IsNegativeInfinity(yr[j]) ? 0f : gr[j];
            }

            for (var j = 0; j < c; j++)
            {
                if (!float.IsNegativeInfinity(yr[j]))
                {
                    dr[j] += gr[j] - (MathF.Exp(yr[j]) * sum);
                }
            }
        }
    }
}
