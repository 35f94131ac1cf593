using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
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
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(sx, sy); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(sx, sy); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(sx, sy); break;
            case UnaryOp.Log: TensorPrimitives.Log(sx, sy); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(sx, sx, sy); break;
            default: TensorPrimitives.Sqrt(sx, sy); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void UnaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx, float alpha)
    {
        var sx = S(x);
        var sy = S(y);
        var sg = S(dy);
        var sd = S(dx);
        for (var i = 0; i < sd.Length; i++)
        {
            var g = sg[i];
            sd[i] += op switch
            {
                UnaryOp.Affine => g * alpha,
                UnaryOp.Relu => sx[i] > 0f ? g : 0f,
                UnaryOp.Gelu => g * GeluDerivative(sx[i]),
                UnaryOp.Sigmoid => g * sy[i] * (1f - sy[i]),
                UnaryOp.Tanh => g * (1f - (sy[i] * sy[i])),
                UnaryOp.Exp => g * sy[i],
                UnaryOp.Log => g / sx[i],
                UnaryOp.Square => g * 2f * sx[i],
                _ => g * 0.5f / sy[i],
            };
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

    private static float GeluDerivative(float x)
    {
        var u = GeluC * (x + (GeluA * x * x * x));
        var t = MathF.Tanh(u);
        var du = GeluC * (1f + (3f * GeluA * x * x));
        return (0.5f * (1f + t)) + (0.5f * x * (1f - (t * t)) * du);
    }
}
