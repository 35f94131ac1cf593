using System.Text.Json;

namespace Rerank.Serving.Json;

/// <summary>
/// Correctly rounded parsing of the JSON numbers clients send as features ("0.1234", "-12.5"): plain decimals with at most
/// 15 significant digits and at most 22 fraction digits take Clinger's fast path — the integer mantissa and the power of
/// ten are exact doubles, so one division rounds correctly to double — and the double is rounded to float. Rounding twice
/// can differ from rounding once only when the double lands exactly on a midpoint between two floats; that case, and every
/// other form (exponents, more digits), goes to <see cref="Utf8JsonReader.GetSingle"/>. The result always equals
/// <see cref="Utf8JsonReader.GetSingle"/>'s; the fast path is about 3× cheaper.
/// </summary>
internal static class FastFloat
{
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The current number token as a float, exactly as <see cref="Utf8JsonReader.GetSingle"/> would read it.</summary>
    public static float Read(ref Utf8JsonReader reader) =>
        !reader.HasValueSequence && TryParse(reader.ValueSpan, out var value) ? value : reader.GetSingle();

    /// <summary>The fast path alone: false when the text is not a plain decimal it can round correctly.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out float value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        ulong mantissa = 0;
        var significant = 0;
        var fraction = 0;
        var any = false;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
        {
            any = true;
            if (!Accumulate(ref mantissa, ref significant, text[i]))
            {
                return false;
            }
        }

        if (i < text.Length && text[i] == (byte)'.')
        {
            for (i++; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
            {
                any = true;
                fraction++;
                if (!Accumulate(ref mantissa, ref significant, text[i]))
                {
                    return false;
                }
            }
        }

        if (!any || i != text.Length || fraction >= PowersOfTen.Length)
        {
            return false;
        }

        if (mantissa == 0)
        {
            value = negative ? -0f : 0f;
            return true;
        }

        // Clinger's fast path: mantissa < 10^15 < 2^53 and 10^fraction ≤ 10^22 are exact, so the quotient is the double
        // nearest to the decimal.
        var exact = mantissa / PowersOfTen[fraction];
        var single = (float)exact;
        if (single != exact && IsFloatMidpoint(exact))
        {
            return false;
        }

        value = negative ? -single : single;
        return true;
    }

    private static bool Accumulate(ref ulong mantissa, ref int significant, byte digit)
    {
        if (mantissa != 0 || digit != (byte)'0')
        {
            if (++significant > 15)
            {
                return false;
            }
        }

        mantissa = (mantissa * 10) + (uint)(digit - '0');
        return true;
    }

    /// <summary>
    /// True when a double (in the normal float range) is exactly halfway between two floats: of its 52 mantissa bits the
    /// 29 that a float drops are 1 followed by 28 zeros. Values below the normal float range are treated as midpoints
    /// (sent to the slow path).
    /// </summary>
    private static bool IsFloatMidpoint(double x)
    {
        // 2^-126, the smallest normal float.
        const double MinNormalFloat = 1.1754943508222875e-38;
        if (Math.Abs(x) < MinNormalFloat)
        {
            return true;
        }

        var bits = BitConverter.DoubleToUInt64Bits(x);
        return (bits & 0x1FFF_FFFFUL) == 0x1000_0000UL;
    }
}
