using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rerank.Engine.Backends.Cpu;

/// <summary>
/// e^x for float32 lanes: Cephes expf (range reduction x = n·ln2 + r, degree-6 polynomial on r, scale by 2ⁿ
/// through the exponent bits); relative error ≈ 2 ulp on [−87, 88.37]; below −87.3 (and −∞) gives exactly 0, above
/// 88.37 (and +∞) it saturates at e^88.37, finite. The scalar form runs the same arithmetic so a row's tail matches
/// its vector body.
/// </summary>
internal static class VectorMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float C1 = 0.693359375f;
    private const float C2 = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f;
    private const float P1 = 1.3981999507e-3f;
    private const float P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f;
    private const float P4 = 1.6666665459e-1f;
    private const float P5 = 5.0000001201e-1f;
    private const float Low = -87.3f;
    // n = round(x·log2 e) must stay ≤ 127, or 2ⁿ overflows the exponent to +∞ (and GELU's d·(1/d) turns into ∞·0 = NaN).
    private const float High = 88.37f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var tooLow = Vector256.LessThan(x, Vector256.Create(Low));
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(Low)), Vector256.Create(High));
        var n = Vector256.Round(x * Vector256.Create(Log2E));
        var r = x - (n * Vector256.Create(C1)) - (n * Vector256.Create(C2));
        var y = Vector256.Create(P0);
        y = (y * r) + Vector256.Create(P1);
        y = (y * r) + Vector256.Create(P2);
        y = (y * r) + Vector256.Create(P3);
        y = (y * r) + Vector256.Create(P4);
        y = (y * r) + Vector256.Create(P5);
        y = (y * r * r) + r + Vector256<float>.One;
        var pow = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return Vector256.ConditionalSelect(tooLow, Vector256<float>.Zero, y * pow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        if (x < Low)
        {
            return 0f;
        }

        x = Math.Min(x, High);
        var n = MathF.Round(x * Log2E);
        var r = x - (n * C1) - (n * C2);
        var y = P0;
        y = (y * r) + P1;
        y = (y * r) + P2;
        y = (y * r) + P3;
        y = (y * r) + P4;
        y = (y * r) + P5;
        y = (y * r * r) + r + 1f;
        return y * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
    }

    /// <summary>GELU (tanh form) as x·σ(2u) = x / (1 + e^{−2u}), u = √(2/π)(x + 0.044715x³).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gelu(Vector256<float> v)
    {
        var u = Vector256.Create(-2f * 0.7978845608f) * (v + (Vector256.Create(0.044715f) * v * v * v));
        var d = Vector256<float>.One + Exp(u);
        if (Avx.IsSupported)
        {
            // 1/d by the 12-bit estimate plus one Newton step (≈ 23 bits), cheaper than a divide
            var r = Avx.Reciprocal(d);
            r *= Vector256.Create(2f) - (d * r);
            return v * r;
        }

        return v / d;
    }

    /// <summary>Scalar GELU with the same arithmetic as the vector form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gelu(float v) => v / (1f + Exp(-2f * 0.7978845608f * (v + (0.044715f * v * v * v))));

    /// <summary>σ(x) = 1 / (1 + e^{−x}).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    /// <summary>tanh x = sign(x)·(1 − 2/(1 + e^{2|x|})); below |x| = 0.0625 the odd Taylor series x − x³/3 + 2x⁵/15 (no cancellation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var big = Vector256<float>.One - (Vector256.Create(2f) / (Vector256<float>.One + Exp(Vector256.Create(2f) * ax)));
        big = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -big, big);
        var x2 = x * x;
        var small = x * (Vector256<float>.One + (x2 * (Vector256.Create(-1f / 3f) + (x2 * Vector256.Create(2f / 15f)))));
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(0.0625f)), small, big);
    }
}
