using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rerank.Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    /// <summary>√(2/π), the GELU tanh-approximation constant.</summary>
    private const float GeluC = 0.7978845608f;
    private const float GeluA = 0.044715f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Unary(UnaryOp op, Tensor x, Tensor y, float alpha, float beta)
    {
        // The kernels read tensors through raw pointers: keep every operand reachable until they are done,
        // or the GC may free a temporary whose last managed use was taking its pointer.
        try
        {
            var sx = S(x);
            var sy = S(y);
            switch (op)
            {
                case UnaryOp.Affine:
                    TensorPrimitives.Multiply(sx, alpha, sy);
                    if (beta != 0f)
                    {
                        TensorPrimitives.Add(sy, beta, sy);
                    }

                    break;
                case UnaryOp.Relu: TensorPrimitives.Max(sx, 0f, sy); break;
                case UnaryOp.Gelu:
                    var args = new RowArgs { X = P(x), Y = P(y), Cols = 256, Count = x.Count };
                    RowParallel.Run(ref args, &GeluChunks, (x.Count + 255) / 256, 256L * 20);
                    break;
                case UnaryOp.Sigmoid: Map(sx, sy, &VectorMath.Sigmoid, static v => 1f / (1f + MathF.Exp(-v))); break;
                case UnaryOp.Tanh: Map(sx, sy, &VectorMath.Tanh, MathF.Tanh); break;
                case UnaryOp.Exp: Map(sx, sy, &VectorMath.Exp, VectorMath.Exp); break;
                case UnaryOp.Log: TensorPrimitives.Log(sx, sy); break;
                case UnaryOp.Square: TensorPrimitives.Multiply(sx, sx, sy); break;
                default: TensorPrimitives.Sqrt(sx, sy); break;
            }
        }
        finally
        {
            GC.KeepAlive(x);
            GC.KeepAlive(y);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void UnaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx, float alpha, bool accumulate)
    {
        // The kernels read tensors through raw pointers: keep every operand reachable until they are done,
        // or the GC may free a temporary whose last managed use was taking its pointer.
        try
        {
            var args = new RowArgs { X = P(x), Y = P(y), Z = P(dy), Beta = P(dx), Cols = 256, Count = dx.Count, Scale = alpha, Heads = (int)op, Overwrite = accumulate ? 0 : 1 };
            RowParallel.Run(ref args, &UnaryBackwardChunks, (dx.Count + 255) / 256, 256L * 10);
        }
        finally
        {
            GC.KeepAlive(x);
            GC.KeepAlive(y);
            GC.KeepAlive(dy);
            GC.KeepAlive(dx);
        }
    }

    /// <summary>dx += dy·f'(x), or dx = 0 + dy·f'(x) (Overwrite), over chunks of 256 elements (Z = dy, Beta = dx, Heads = the op).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnaryBackwardChunks(ref RowArgs a, int r0, int r1)
    {
        var start = r0 * a.Cols;
        var end = Math.Min(r1 * a.Cols, a.Count);
        var op = (UnaryOp)a.Heads;
        var alpha = a.Scale;
        var overwrite = a.Overwrite != 0;
        var i = start;
        if (op is UnaryOp.Gelu or UnaryOp.Relu or UnaryOp.Sigmoid or UnaryOp.Tanh or UnaryOp.Exp or UnaryOp.Affine or UnaryOp.Square)
        {
            for (; i <= end - 8; i += 8)
            {
                var g = Vector256.Load(a.Z + i);
                var d = op switch
                {
                    UnaryOp.Gelu => g * GeluDerivative(Vector256.Load(a.X + i)),
                    UnaryOp.Relu => Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Load(a.X + i), Vector256<float>.Zero), g, Vector256<float>.Zero),
                    UnaryOp.Sigmoid => g * Vector256.Load(a.Y + i) * (Vector256<float>.One - Vector256.Load(a.Y + i)),
                    UnaryOp.Tanh => g * (Vector256<float>.One - (Vector256.Load(a.Y + i) * Vector256.Load(a.Y + i))),
                    UnaryOp.Exp => g * Vector256.Load(a.Y + i),
                    UnaryOp.Affine => g * Vector256.Create(alpha),
                    _ => g * Vector256.Create(2f) * Vector256.Load(a.X + i),
                };
                ((overwrite ? Vector256<float>.Zero : Vector256.Load(a.Beta + i)) + d).Store(a.Beta + i);
            }
        }

        for (; i < end; i++)
        {
            var g = a.Z[i];
            var xv = a.X[i];
            var yv = a.Y[i];
            a.Beta[i] = (overwrite ? 0f : a.Beta[i]) + op switch
            {
                UnaryOp.Affine => g * alpha,
                UnaryOp.Relu => xv > 0f ? g : 0f,
                UnaryOp.Gelu => g * GeluDerivative(xv),
                UnaryOp.Sigmoid => g * yv * (1f - yv),
                UnaryOp.Tanh => g * (1f - (yv * yv)),
                UnaryOp.Exp => g * yv,
                UnaryOp.Log => g / xv,
                UnaryOp.Square => g * 2f * xv,
                _ => g * 0.5f / yv,
            };
        }
    }

    /// <summary>y = f(x) with the vector form over full lanes and the scalar form over the tail.</summary>
    private static void Map(ReadOnlySpan<float> x, Span<float> y, delegate*<Vector256<float>, Vector256<float>> vector, Func<float, float> scalar)
    {
        var i = 0;
        for (; i <= x.Length - 8; i += 8)
        {
            vector(Vector256.Create(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        }

        for (; i < x.Length; i++)
        {
            y[i] = scalar(x[i]);
        }
    }

    /// <summary>Chunks of 256 elements; the last may be short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeluChunks(ref RowArgs a, int r0, int r1)
    {
        var start = r0 * a.Cols;
        var end = r1 * a.Cols;
        var total = a.Count;
        Gelu(new ReadOnlySpan<float>(a.X + start, Math.Min(end, total) - start), new Span<float>(a.Y + start, Math.Min(end, total) - start));
    }

    /// <summary>gelu(x) = 0.5·x·(1 + tanh(u)) = x·σ(2u), u = √(2/π)(x + 0.044715x³).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        for (; i <= x.Length - 8; i += 8)
        {
            VectorMath.Gelu(Vector256.Create(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        }

        for (; i < x.Length; i++)
        {
            y[i] = VectorMath.Gelu(x[i]);
        }
    }

    /// <summary>gelu'(x) = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(u) = 1 − 2/(1 + e^{2u}).</summary>
    private static Vector256<float> GeluDerivative(Vector256<float> x)
    {
        var u = Vector256.Create(GeluC) * (x + (Vector256.Create(GeluA) * x * x * x));
        var t = Vector256<float>.One - (Vector256.Create(2f) / (Vector256<float>.One + VectorMath.Exp(Vector256.Create(2f) * u)));
        var du = Vector256.Create(GeluC) * (Vector256<float>.One + (Vector256.Create(3f * GeluA) * x * x));
        var half = Vector256.Create(0.5f);
        return (half * (Vector256<float>.One + t)) + (half * x * (Vector256<float>.One - (t * t)) * du);
    }

    private static float GeluDerivative(float x)
    {
        var u = GeluC * (x + (GeluA * x * x * x));
        var t = 1f - (2f / (1f + VectorMath.Exp(2f * u)));
        var du = GeluC * (1f + (3f * GeluA * x * x));
        return (0.5f * (1f + t)) + (0.5f * x * (1f - (t * t)) * du);
    }
}
