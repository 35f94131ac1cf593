using Rerank.Simulation.Logs;

namespace Rerank.Simulation.Tests.Logs;

public sealed class CsvReaderTests
{
    [Fact]
    public void Next_QuotedFields_UnescapeDoubledQuotesCommasAndNewlines()
    {
        var reader = new CsvReader(new StringReader("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,\"\"\nlast"));

        reader.Next().ShouldBe(["a", "b,c", "say \"hi\""]);
        reader.Next().ShouldBe(["two\nlines", null, ""]);
        reader.Record.ShouldBe(2);
        reader.Next().ShouldBe(["last"]);
        reader.Next().ShouldBeNull();
    }

    [Fact]
    public void Next_TextAfterAClosingQuote_IsAnError() =>
        Should.Throw<FormatException>(() => new CsvReader(new StringReader("\"a\"b,c")).Next()).Message.ShouldContain("field 1: text follows a closing quote");

    [Fact]
    public void Next_QuoteInsideAnUnquotedField_IsAnError() =>
        Should.Throw<FormatException>(() => new CsvReader(new StringReader("x,a\"b")).Next()).Message.ShouldContain("field 2: a quote inside an unquoted field");

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Quote_WritesWhatNextReadsBack(string field, string written)
    {
        CsvReader.Quote(field).ShouldBe(written);
        new CsvReader(new StringReader(written)).Next().ShouldBe([field]);
    }
}
