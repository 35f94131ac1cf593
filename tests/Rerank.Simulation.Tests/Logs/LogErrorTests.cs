using Rerank.Runtime.Configuration;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;
using Rerank.Testing;

namespace Rerank.Simulation.Tests.Logs;

/// <summary>Every malformed log is an error naming the file, the row (data rows; lines for JSON Lines) and the file's column.</summary>
public sealed class LogErrorTests
{
    [Fact]
    public void Read_MissingRequiredColumn_ListsTheColumnsFound()
    {
        var message = Error(["r1,a,1"], "request_id,item_id,position");

        message.ShouldContain("log.csv");
        message.ShouldContain("column 'click' is missing; the file has columns: request_id, item_id, position");
    }

    [Fact]
    public void Read_RenamedColumnMissing_NamesTheFilesNameAndTheRole()
    {
        using var folder = new TempFolder();
        var path = LogTestFiles.Csv(folder, ["r1,a,1,1"], "req,item_id,position,click");
        var options = new LogsOptions { Columns = new LogColumnNames { RequestId = "request" }, Split = new LogSplitOptions { By = LogSplitBy.Request } };

        var message = Should.Throw<ConfigException>(() => LogsReader.Read(path, options, 1)).Message;

        message.ShouldContain("column 'request' (request_id) is missing; the file has columns: req, item_id, position, click");
    }

    [Fact]
    public void Read_TextWhereANumberBelongs_NamesRowAndColumn() =>
        Error(Replace(0, "r1,100,u1,a,2,0,0.5,0.25,high,x")).ShouldContain("log.csv:1:9: row 1, column 'ctr': expected a number, got 'high'");

    [Fact]
    public void Read_TimestampNotAnInteger_NamesRowAndColumn() =>
        Error(Replace(3, "r2,2.5,u2,c,1,0,1,1,0.1,x")).ShouldContain("row 4, column 'timestamp': expected an integer, got '2.5'");

    [Fact]
    public void Read_PropensityZero_IsRejected() =>
        Error(Replace(3, "r2,200,u2,c,1,0,0,1,0.1,x")).ShouldContain("row 4, column 'propensity': a propensity must be in (0, 1], got 0");

    [Fact]
    public void Read_SlatePropensityAboveOne_IsRejected() =>
        Error(Replace(5, "r3,300,u1,a,1,1,0.4,1.5,0.3,x")).ShouldContain("row 6, column 'slate_propensity': a propensity must be in (0, 1], got 1.5");

    [Fact]
    public void Read_ClickNotZeroOrOne_IsRejected() =>
        Error(Replace(1, "r1,100,u1,b,1,2,0.5,0.25,0.6,y")).ShouldContain("row 2, column 'click': expected 0 or 1, got '2'");

    [Fact]
    public void Read_ClickEmptyOnAShownRow_IsRejected() =>
        Error(Replace(1, "r1,100,u1,b,1,,0.5,0.25,0.6,y")).ShouldContain("row 2, column 'click': is empty on a shown row (position 1)");

    [Fact]
    public void Read_ClickOnARowNotShown_IsRejected() =>
        Error(Replace(2, "r1,100,u1,c,,1,,0.25,0.1,x")).ShouldContain("row 3, column 'click': is 1 on a row that was not shown");

    [Fact]
    public void Read_PositionsWithAGap_NameTheMissingPosition() =>
        Error(Replace(0, "r1,100,u1,a,3,0,0.5,0.25,0.3,x")).ShouldContain("row 1, column 'position': request 'r1' shows positions 1, 3: 2 missing");

    [Fact]
    public void Read_PositionRepeated_NamesBothRows() =>
        Error(Replace(0, "r1,100,u1,a,1,0,0.5,0.25,0.3,x")).ShouldContain("row 2, column 'position': position 1 is already taken at row 1 of request 'r1'");

    [Fact]
    public void Read_PositionZero_IsRejected() =>
        Error(Replace(3, "r2,200,u2,c,0,0,1,1,0.1,x")).ShouldContain("row 4, column 'position': position must be 1 or more");

    [Fact]
    public void Read_ShownItemDuplicatingACandidate_IsRejected() =>
        Error(Replace(1, "r1,100,u1,a,1,1,0.5,0.25,0.6,y")).ShouldContain("row 2, column 'item_id': the shown item (position 1) repeats item 'a', already a candidate of request 'r1' at row 1");

    [Fact]
    public void Read_RequestRowsNotContiguous_NamesTheRowWhereItComesBack()
    {
        string[] rows = [.. LogTestFiles.ValidRows, "r1,100,u1,d,,,,0.25,0.1,x"];

        Error(rows).ShouldContain("row 7, column 'request_id': request 'r1' already appeared (from row 1) before other requests");
    }

    [Fact]
    public void Read_TimestampChangingWithinARequest_IsRejected() =>
        Error(Replace(1, "r1,101,u1,b,1,1,0.5,0.25,0.6,y")).ShouldContain("row 2, column 'timestamp': differs from the first row of request 'r1' (row 1)");

    [Fact]
    public void Read_PriorOutsideZeroOne_IsRejected() =>
        Error(Replace(0, "r1,100,u1,a,2,0,0.5,0.25,1.2,x")).ShouldContain("row 1, column 'ctr': a prior must be in [0, 1], got 1.2");

    [Fact]
    public void Read_SeveralErrors_AreCollectedBeforeFailing()
    {
        var errors = Should.Throw<ConfigException>(() => Read(Replace(1, "r1,100,u1,b,1,2,0.5,0.25,0.6,y", Replace(3, "r2,200,u2,c,1,0,0,1,0.1,x")))).Errors;

        errors.Select(e => e.Location.Line).ShouldBe([2, 4]);
    }

    [Fact]
    public void Read_ManyErrors_StopsAtTheCap()
    {
        var rows = Enumerable.Range(0, 50).Select(i => $"r{i},{i},u1,a,1,7,0.5,0.5,0.3,x");

        var errors = Should.Throw<ConfigException>(() => Read(rows)).Errors;

        errors.Count.ShouldBe(LogProblems.Cap + 1);
        errors[^1].Message.ShouldBe($"stopped reading after {LogProblems.Cap} errors");
    }

    [Fact]
    public void Read_BadJsonLine_NamesTheLine()
    {
        using var folder = new TempFolder();
        var path = folder.Write("log.jsonl", "{\"request_id\": \"r1\", \"item_id\": \"a\", \"position\": 1, \"click\": 0}\n\n{\"request_id\": \"r2\", \"item_id\": \"a\", \"position\": 1, \"click\": true, \"x\": \n");

        var message = Should.Throw<ConfigException>(() => LogsReader.Read(path, new LogsOptions { Split = new LogSplitOptions { By = LogSplitBy.Request } }, 1)).Message;

        message.ShouldContain("log.jsonl:3:0: line 3: not valid JSON");
    }

    [Fact]
    public void Read_JsonWrongType_NamesTheLineAndColumn()
    {
        using var folder = new TempFolder();
        var path = folder.Write("log.jsonl", "{\"request_id\": \"r1\", \"item_id\": \"a\", \"position\": 1, \"click\": 0}\n{\"request_id\": \"r1\", \"item_id\": 2.5, \"position\": 2, \"click\": 0}\n");

        var message = Should.Throw<ConfigException>(() => LogsReader.Read(path, new LogsOptions { Split = new LogSplitOptions { By = LogSplitBy.Request } }, 1)).Message;

        message.ShouldContain("log.jsonl:2:2: line 2, column 'item_id': expected a string or an integer, got 2.5");
    }

    [Fact]
    public void Read_CsvRowWithTooFewFields_NamesTheRow() =>
        Error(Replace(2, "r1,100,u1,c")).ShouldContain("row 3: 4 fields, but the header has 10");

    [Fact]
    public void Read_SplitByTimeWithoutTimestamp_SaysWhatToDo()
    {
        using var folder = new TempFolder();
        var path = LogTestFiles.Csv(folder, ["r1,a,1,1"], "request_id,item_id,position,click");

        Should.Throw<ConfigException>(() => LogsReader.Read(path, new LogsOptions(), 1)).Message
            .ShouldContain("split.by: time needs a timestamp column");
    }

    private static string[] Replace(int index, string row, string[]? rows = null)
    {
        var copy = (string[])(rows ?? LogTestFiles.ValidRows).Clone();
        copy[index] = row;
        return copy;
    }

    private static string Error(IEnumerable<string> rows, string header = LogTestFiles.Header) =>
        Should.Throw<ConfigException>(() => Read(rows, header)).Message;

    private static LogsData Read(IEnumerable<string> rows, string header = LogTestFiles.Header)
    {
        using var folder = new TempFolder();
        return LogsReader.Read(LogTestFiles.Csv(folder, rows, header), LogTestFiles.CsvOptions(), 1);
    }
}
