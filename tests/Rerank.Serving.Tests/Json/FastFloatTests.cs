using System.Globalization;
using System.Text;
using System.Text.Json;
using Rerank.Serving.Json;

namespace Rerank.Serving.Tests.Json;

public sealed class FastFloatTests
{
    [Theory]
    [InlineData("0", 0f)]
    [InlineData("-0", -0f)]
    [InlineData("0.1234", 0.1234f)]
    [InlineData("-12.5", -12.5f)]
    [InlineData("100", 100f)]
    [InlineData("0.000001", 0.000001f)]
    [InlineData("123456789012345", 123456789012345f)]
    public void TryParse_PlainDecimal_MatchesFloatParse(string text, float expected)
    {
        FastFloat.TryParse(Encoding.ASCII.GetBytes(text), out var value).ShouldBeTrue();
        BitConverter.SingleToInt32Bits(value).ShouldBe(BitConverter.SingleToInt32Bits(expected));
    }

    [Theory]
    [InlineData("1e5")]
    [InlineData("1.5E-3")]
    [InlineData("1234567890123456")]
    [InlineData("0.12345678901234567")]
    [InlineData("1.00000000000000000000000")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".5")]
    public void TryParse_OtherForms_LeavesThemToTheSlowPath(string text)
    {
        if (FastFloat.TryParse(Encoding.ASCII.GetBytes(text), out var value))
        {
            // Only forms the fast path can round correctly may be accepted.
            value.ShouldBe(float.Parse(text, CultureInfo.InvariantCulture));
        }
        else
        {
            text.ShouldNotBe("0.1234");
        }
    }

    [Fact]
    public void TryParse_RandomDecimals_AgreeBitForBitWithTheCorrectlyRoundedParser()
    {
        var random = new Random(11);
        var accepted = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var digits = random.Next(1, 16);
            var mantissa = random.NextInt64(1, (long)Math.Pow(10, digits));
            var fraction = random.Next(0, Math.Min(digits + 3, 22));
            var text = Format(mantissa, fraction, random.Next(2) == 0);
            if (FastFloat.TryParse(Encoding.ASCII.GetBytes(text), out var fast))
            {
                accepted++;
                BitConverter.SingleToInt32Bits(fast).ShouldBe(BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)), text);
            }
        }

        accepted.ShouldBeGreaterThan(190_000);
    }

    [Fact]
    public void TryParse_DecimalsOnFloatMidpoints_AreLeftToTheSlowPath()
    {
        // 16777217 = 2^24 + 1 lies exactly halfway between the floats 2^24 and 2^24 + 2.
        FastFloat.TryParse("16777217"u8, out _).ShouldBeFalse();
        float.Parse("16777217", CultureInfo.InvariantCulture).ShouldBe(16777216f);
        FastFloat.TryParse("16777219"u8, out var up).ShouldBeFalse();
        up.ShouldBe(0f);
    }

    [Fact]
    public void Read_ThroughTheJsonReader_EqualsGetSingle()
    {
        var json = "[0.25, -3.75, 1e3, 0.1234, 3.4028235e38, 1234567.125]"u8.ToArray();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var copy = reader;
            FastFloat.Read(ref reader).ShouldBe(copy.GetSingle());
        }
    }

    private static string Format(long mantissa, int fraction, bool negative)
    {
        var digits = mantissa.ToString(CultureInfo.InvariantCulture).PadLeft(fraction + 1, '0');
        var text = fraction == 0 ? digits : digits[..^fraction] + "." + digits[^fraction..];
        return negative ? "-" + text : text;
    }
}
