using System.Numerics.Tensors;

namespace Rerank.Engine.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void LayerNorm(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, Tensor y, Tensor? mean, Tensor? rstd)
    {
        var sx = S(x);
        var sy = S(y);
        var d = x.Shape.Last;
        var rows = x.Count / Math.Max(1, d);
        var g = gamma is null ? default : S(gamma);
        var b = beta is null ? default : S(beta);
        for (var r = 0; r < rows; r++)
        {
            var xr = sx.Slice(r * d, d);
            var yr = sy.Slice(r * d, d);
            var mu = TensorPrimitives.Sum(xr) / d;
            TensorPrimitives.Subtract(xr, mu, yr);
            var variance = TensorPrimitives.SumOfSquares(yr) / d;
            var rs = 1f / MathF.Sqrt(variance + epsilon);
            TensorPrimitives.Multiply(yr, rs, yr);
            if (gamma is not null)
            {
                TensorPrimitives.Multiply(yr, g, yr);
            }

            if (beta is not null)
            {
                TensorPrimitives.Add(yr, b, yr);
            }

            if (mean is not null)
            {
                S(mean)[r] = mu;
            }

            if (rstd is not null)
            {
                S(rstd)[r] = rs;
            }
        }
    }

    public void LayerNormBackward(Tensor x, Tensor? gamma, Tensor mean, Tensor rstd, Tensor dy, Tensor? dx, Tensor? dgamma, Tensor? dbeta)
    {
        var sx = S(x);
        var sg = S(dy);
        var d = x.Shape.Last;
        var rows = x.Count / Math.Max(1, d);
        var g = gamma is null ? default : S(gamma);
        var sMean = S(mean);
        var sRstd = S(rstd);
        Span<float> xhat = d <= 1024 ? stackalloc float[d] : new float[d];
        Span<float> dxhat = d <= 1024 ? stackalloc float[d] : new float[d];
        for (var r = 0; r < rows; r++)
        {
            var xr = sx.Slice(r * d, d);
            var gr = sg.Slice(r * d, d);
            var rs = sRstd[r];
            TensorPrimitives.Subtract(xr, sMean[r], xhat);
            TensorPrimitives.Multiply(xhat, rs, xhat);
            if (dgamma is not null)
            {
                var dg = S(dgamma);
                TensorPrimitives.MultiplyAdd(gr, xhat, dg, dg);
            }

            if (dbeta is not null)
            {
                var db = S(dbeta);
                TensorPrimitives.Add(db, gr, db);
            }

            if (dx is null)
            {
                continue;
            }

            if (gamma is not null)
            {
                TensorPrimitives.Multiply(gr, g, dxhat);
            }
            else
            {
                gr.CopyTo(dxhat);
            }

            // dx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat ⊙ xhat))
            var m1 = TensorPrimitives.Sum(dxhat) / d;
            var m2 = TensorPrimitives.Dot(dxhat, xhat) / d;
            var dr = S(dx).Slice(r * d, d);
            for (var j = 0; j < d; j++)
            {
                dr[j] += rs * (dxhat[j] - m1 - (xhat[j] * m2));
            }
        }
    }
}
