using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rerank.Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LayerNorm(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, Tensor y, Tensor? mean, Tensor? rstd)
    {
        // The kernels read tensors through raw pointers: keep every operand reachable until they are done,
        // or the GC may free a temporary whose last managed use was taking its pointer.
        try
        {
            var d = x.Shape.Last;
            var args = new RowArgs
            {
                X = P(x),
                Y = P(y),
                Gamma = gamma is null ? null : P(gamma),
                Beta = beta is null ? null : P(beta),
                Mean = mean is null ? null : P(mean),
                Rstd = rstd is null ? null : P(rstd),
                Cols = d,
                Epsilon = epsilon,
            };
            RowParallel.Run(ref args, &LayerNormRows, x.Count / Math.Max(1, d), 6L * d);
        }
        finally
        {
            GC.KeepAlive(x);
            GC.KeepAlive(gamma);
            GC.KeepAlive(beta);
            GC.KeepAlive(y);
            GC.KeepAlive(mean);
            GC.KeepAlive(rstd);
        }
    }

    /// <summary>Rows [r0, r1): μ, σ² (two passes), y = (x − μ)·rstd·γ + β.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LayerNormRows(ref RowArgs a, int r0, int r1)
    {
        var d = a.Cols;
        for (var r = r0; r < r1; r++)
        {
            var xr = a.X + ((long)r * d);
            var yr = a.Y + ((long)r * d);
            var j = 0;
            var vs = Vector256<float>.Zero;
            for (; j <= d - 8; j += 8)
            {
                vs += Vector256.Load(xr + j);
            }

            var sum = Vector256.Sum(vs);
            for (; j < d; j++)
            {
                sum += xr[j];
            }

            var mu = sum / d;
            var vmu = Vector256.Create(mu);
            var vq = Vector256<float>.Zero;
            j = 0;
            for (; j <= d - 8; j += 8)
            {
                var c = Vector256.Load(xr + j) - vmu;
                vq += c * c;
            }

            var sq = Vector256.Sum(vq);
            for (; j < d; j++)
            {
                var c = xr[j] - mu;
                sq += c * c;
            }

            var rs = 1f / MathF.Sqrt((sq / d) + a.Epsilon);
            var vrs = Vector256.Create(rs);
            j = 0;
            for (; j <= d - 8; j += 8)
            {
                var v = (Vector256.Load(xr + j) - vmu) * vrs;
                if (a.Gamma != null)
                {
                    v *= Vector256.Load(a.Gamma + j);
                }

                if (a.Beta != null)
                {
                    v += Vector256.Load(a.Beta + j);
                }

                v.Store(yr + j);
            }

            for (; j < d; j++)
            {
                var v = (xr[j] - mu) * rs;
                if (a.Gamma != null)
                {
                    v *= a.Gamma[j];
                }

                if (a.Beta != null)
                {
                    v += a.Beta[j];
                }

                yr[j] = v;
            }

            if (a.Mean != null)
            {
                a.Mean[r] = mu;
            }

            if (a.Rstd != null)
            {
                a.Rstd[r] = rs;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LayerNormBackward(Tensor x, Tensor? gamma, Tensor mean, Tensor rstd, Tensor dy, Tensor? dx, Tensor? dgamma, Tensor? dbeta)
    {
        // The kernels read tensors through raw pointers: keep every operand reachable until they are done,
        // or the GC may free a temporary whose last managed use was taking its pointer.
        try
        {
            var d = x.Shape.Last;
            var rows = x.Count / Math.Max(1, d);
            if (dgamma is not null || dbeta is not null)
            {
                // γ and β gradients sum over rows: one thread, fixed order (deterministic).
                LayerNormParameterGradients(P(x), P(dy), P(mean), P(rstd), dgamma is null ? null : P(dgamma), dbeta is null ? null : P(dbeta), rows, d);
            }

            if (dx is not null)
            {
                var args = new RowArgs { X = P(x), Gamma = gamma is null ? null : P(gamma), Mean = P(mean), Rstd = P(rstd), Z = P(dy), Beta = P(dx), Cols = d };
                RowParallel.Run(ref args, &LayerNormBackwardRows, rows, 8L * d);
            }
        }
        finally
        {
            GC.KeepAlive(x);
            GC.KeepAlive(gamma);
            GC.KeepAlive(mean);
            GC.KeepAlive(rstd);
            GC.KeepAlive(dy);
            GC.KeepAlive(dx);
            GC.KeepAlive(dgamma);
            GC.KeepAlive(dbeta);
        }
    }

    /// <summary>
    /// dγ += Σ_rows dy ⊙ x̂ and dβ += Σ_rows dy, x̂ = (x − μ)·rstd, row after row (the same roundings as the span
    /// operations it replaced: x̂ rounded after each step, then (dy·x̂) rounded before the add), vectorised across columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LayerNormParameterGradients(float* x, float* dy, float* mean, float* rstd, float* dgamma, float* dbeta, int rows, int d)
    {
        for (var r = 0; r < rows; r++)
        {
            var xr = x + ((long)r * d);
            var gr = dy + ((long)r * d);
            var mu = mean[r];
            var rs = rstd[r];
            var vmu = Vector256.Create(mu);
            var vrs = Vector256.Create(rs);
            var j = 0;
            for (; j <= d - 8; j += 8)
            {
                var g = Vector256.Load(gr + j);
                if (dgamma != null)
                {
                    var xhat = (Vector256.Load(xr + j) - vmu) * vrs;
                    ((g * xhat) + Vector256.Load(dgamma + j)).Store(dgamma + j);
                }

                if (dbeta != null)
                {
                    (Vector256.Load(dbeta + j) + g).Store(dbeta + j);
                }
            }

            for (; j < d; j++)
            {
                if (dgamma != null)
                {
                    var xhat = (xr[j] - mu) * rs;
                    dgamma[j] = (gr[j] * xhat) + dgamma[j];
                }

                if (dbeta != null)
                {
                    dbeta[j] += gr[j];
                }
            }
        }
    }

    /// <summary>Rows [r0, r1) of dx += rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat ⊙ xhat)), dxhat = dy ⊙ γ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LayerNormBackwardRows(ref RowArgs a, int r0, int r1)
    {
        var d = a.Cols;
        for (var r = r0; r < r1; r++)
        {
            var xr = a.X + ((long)r * d);
            var gr = a.Z + ((long)r * d);
            var dr = a.Beta + ((long)r * d);
            var mu = a.Mean[r];
            var rs = a.Rstd[r];
            float s1 = 0f, s2 = 0f;
            for (var j = 0; j < d; j++)
            {
                var dxh = a.Gamma == null ? gr[j] : gr[j] * a.Gamma[j];
                s1 += dxh;
                s2 += dxh * (xr[j] - mu) * rs;
            }

            var m1 = s1 / d;
            var m2 = s2 / d;
            var j0 = 0;
            if (a.Gamma != null)
            {
                // element-wise: the same operations as the loop below, eight columns at a time
                var vmu = Vector256.Create(mu);
                var vrs = Vector256.Create(rs);
                var vm1 = Vector256.Create(m1);
                var vm2 = Vector256.Create(m2);
                for (; j0 <= d - 8; j0 += 8)
                {
                    var dxh = Vector256.Load(gr + j0) * Vector256.Load(a.Gamma + j0);
                    var t = vrs * (dxh - vm1 - ((Vector256.Load(xr + j0) - vmu) * vrs * vm2));
                    (Vector256.Load(dr + j0) + t).Store(dr + j0);
                }
            }

            for (var j = j0; j < d; j++)
            {
                var dxh = a.Gamma == null ? gr[j] : gr[j] * a.Gamma[j];
                dr[j] += rs * (dxh - m1 - ((xr[j] - mu) * rs * m2));
            }
        }
    }
}
