using Rerank.Runtime.Configuration;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;
using Rerank.Testing;

namespace Rerank.Simulation.Tests.Logs;

/// <summary>Row sources stream: rows come one at a time, so a broken row far down is only met when reading reaches it.</summary>
public sealed class LogRowSourceTests
{
    [Fact]
    public void CsvRows_AreYieldedLazily()
    {
        using var folder = new TempFolder();
        var path = folder.Write("log.csv", "a,b\n1,2\n3,4\n\"unclosed,5\n");
        var source = LogFiles.Open(path, LogFormat.Csv);

        var first = source.Rows(["b"]).Take(2).ToList();

        first.Select(r => (r.Number, r.Cells[0].Text)).ShouldBe([(1L, "2"), (2L, "4")]);
        Should.Throw<ConfigException>(() => source.Rows(["b"]).ToList()).Message.ShouldContain("row 3: a quoted field is not closed");
    }

    [Fact]
    public void JsonLinesRows_AreYieldedLazily()
    {
        using var folder = new TempFolder();
        var path = folder.Write("log.jsonl", "{\"a\": 1}\n{\"a\": 2}\nnot json\n");
        var source = LogFiles.Open(path, LogFormat.Jsonl);

        source.Rows(["a"]).Take(2).Select(r => r.Cells[0].Integer).ShouldBe([1L, 2L]);
        Should.Throw<ConfigException>(() => source.Rows(["a"]).ToList()).Message.ShouldContain("line 3: not valid JSON");
    }

    [Fact]
    public void ParquetRows_ComeRowGroupByRowGroupAndEndWhereTheFileEnds()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "log.parquet");
        var rows = Enumerable.Range(0, 10).Select(i => new[] { LogCell.Of((long)i), i % 3 == 0 ? LogCell.Null : LogCell.Of($"t{i}") });
        LogWriter.Write(path, LogFormat.Parquet, [new("n", LogColumnType.Integer), new("s", LogColumnType.Text)], rows, rowGroupSize: 4);
        var source = LogFiles.Open(path, LogFormat.Parquet);

        source.Columns.ShouldBe(["n", "s"]);
        using var enumerator = source.Rows(["s", "n"]).GetEnumerator();
        enumerator.MoveNext().ShouldBeTrue();
        enumerator.Current.Cells[1].Integer.ShouldBe(0);
        enumerator.Current.Cells[0].IsNull.ShouldBeTrue();
        source.Rows(["s", "n"]).Select(r => $"{r.Number}:{r.Cells[1].Integer}:{r.Cells[0].AsText()}")
            .ShouldBe(Enumerable.Range(0, 10).Select(i => $"{i + 1}:{i}:{(i % 3 == 0 ? "" : $"t{i}")}"));
    }

    [Fact]
    public void JsonLines_Gzipped_ReadLikePlain()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "log.jsonl.gz");
        LogWriter.Write(path, LogFormat.Jsonl, [new("h", LogColumnType.List)], [[LogCell.OfList(["x", "y"])]]);

        LogFiles.Resolve(path, LogFormat.Auto).ShouldBe(LogFormat.Jsonl);
        LogFiles.Open(path, LogFormat.Jsonl).Rows(["h"]).Single().Cells[0].List.ShouldBe(["x", "y"]);
    }

    [Theory]
    [InlineData("a.parquet", LogFormat.Parquet)]
    [InlineData("a.jsonl", LogFormat.Jsonl)]
    [InlineData("a.CSV", LogFormat.Csv)]
    [InlineData("a.csv.gz", LogFormat.Csv)]
    public void Resolve_Auto_ReadsTheExtension(string path, LogFormat expected) =>
        LogFiles.Resolve(path, LogFormat.Auto).ShouldBe(expected);

    [Fact]
    public void Resolve_UnknownExtension_IsNullUnlessTheFormatIsGiven()
    {
        LogFiles.Resolve("a.txt", LogFormat.Auto).ShouldBeNull();
        LogFiles.Resolve("a.txt", LogFormat.Csv).ShouldBe(LogFormat.Csv);
    }
}
