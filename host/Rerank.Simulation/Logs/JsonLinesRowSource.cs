using System.Text.Json;

namespace Rerank.Simulation.Logs;

/// <summary>
/// A JSON Lines log (optionally gzipped), read line by line: one object per line; its columns are the first line's keys
/// (a later line may leave a key out, which reads as empty). Rows are numbered by line.
/// </summary>
internal sealed class JsonLinesRowSource : ILogRowSource
{
    public JsonLinesRowSource(string path)
    {
        File = path;
        using var text = LogFiles.Text(path);
        var number = 0L;
        while (text.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = Parse(line, number, []);
            Columns = [.. doc.RootElement.EnumerateObject().Select(p => p.Name)];
            return;
        }

        Columns = [];
    }

    public string File { get; }

    public string RowWord => "line";

    public IReadOnlyList<string> Columns { get; }

    public IEnumerable<LogRow> Rows(IReadOnlyList<string> columns)
    {
        using var text = LogFiles.Text(File);
        var number = 0L;
        while (text.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = Parse(line, number, columns);
            var cells = new LogCell[columns.Count];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = doc.RootElement.TryGetProperty(columns[i], out var value) ? Cell(value, number, columns[i]) : LogCell.Null;
            }

            yield return new LogRow(number, cells);
        }
    }

    private JsonDocument Parse(string line, long number, IReadOnlyList<string> columns)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw LogProblems.Fatal(File, RowWord, number, columns, null, $"not valid JSON near byte {(e.BytePositionInLine ?? 0) + 1}");
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw LogProblems.Fatal(File, RowWord, number, columns, null, "expected a JSON object (one row per line)");
        }

        return doc;
    }

    private LogCell Cell(JsonElement value, long number, string column) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => LogCell.Null,
        JsonValueKind.Number => value.TryGetInt64(out var l) ? LogCell.Of(l) : LogCell.Of(value.GetDouble()),
        JsonValueKind.String => LogCell.Of(value.GetString()),
        JsonValueKind.True => LogCell.Of(true),
        JsonValueKind.False => LogCell.Of(false),
        JsonValueKind.Array => LogCell.OfList([.. value.EnumerateArray().Select(e => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString()!,
            JsonValueKind.Number => e.GetRawText(),
            _ => throw LogProblems.Fatal(File, RowWord, number, Columns, column, "a list may hold only strings and numbers"),
        })]),
        _ => throw LogProblems.Fatal(File, RowWord, number, Columns, column, "expected a value, got a JSON object"),
    };
}
