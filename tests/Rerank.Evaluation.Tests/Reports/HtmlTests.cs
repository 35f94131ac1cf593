using Rerank.Evaluation.Reports;

namespace Rerank.Evaluation.Tests.Reports;

public sealed class HtmlTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")]
    [InlineData("a & b \"c\"", "a &amp; b &quot;c&quot;")]
    [InlineData("&amp;", "&amp;amp;")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Escape_Text_EscapesTheFiveSpecialCharacters(string? text, string expected)
    {
        Html.Escape(text).ShouldBe(expected);
    }

    [Theory]
    [InlineData(12.3456, "12.35")]
    [InlineData(-0.004, "0")]
    [InlineData(100, "100")]
    [InlineData(double.NaN, "0")]
    public void Coord_Value_IsInvariantWithTwoDecimals(double value, string expected)
    {
        Html.Coord(value).ShouldBe(expected);
    }

    [Theory]
    [InlineData(0.7465123, "0.7465")]
    [InlineData(0.00306, "0.00306")]
    [InlineData(1234.56, "1234.6")]
    [InlineData(0, "0")]
    [InlineData(2.5e-6, "2.5e-6")]
    public void Number_Value_HasFourSignificantDigits(double value, string expected)
    {
        Html.Number(value).ShouldBe(expected);
    }
}
