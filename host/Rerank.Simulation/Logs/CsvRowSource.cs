namespace Rerank.Simulation.Logs;

/// <summary>A CSV log (header row first), read record by record with <see cref="CsvReader"/>; every field is text.</summary>
internal sealed class CsvRowSource : ILogRowSource
{
    public CsvRowSource(string path)
    {
        File = path;
        using var text = LogFiles.Text(path);
        var reader = new CsvReader(text);
        string?[]? header;
        try
        {
            header = reader.Next();
        }
        catch (FormatException e)
        {
            throw LogProblems.Fatal(path, "header", 1, [], null, e.Message);
        }

        Columns = header is null ? [] : [.. header.Select(h => h ?? "")];
    }

    public string File { get; }

    public string RowWord => "row";

    public IReadOnlyList<string> Columns { get; }

    public IEnumerable<LogRow> Rows(IReadOnlyList<string> columns)
    {
        var indices = LogFiles.Indices(Columns, columns);
        using var text = LogFiles.Text(File);
        var reader = new CsvReader(text);
        var row = 0L;
        while (true)
        {
            string?[]? fields;
            try
            {
                fields = reader.Next();
            }
            catch (FormatException e)
            {
                throw LogProblems.Fatal(File, RowWord, reader.Record - 1, Columns, null, e.Message);
            }

            if (fields is null)
            {
                yield break;
            }

            if (reader.Record == 1)
            {
                continue;
            }

            row = reader.Record - 1;
            if (fields is [null] && Columns.Count > 1)
            {
                continue;
            }

            if (fields.Length != Columns.Count)
            {
                throw LogProblems.Fatal(File, RowWord, row, Columns, null, $"{fields.Length} fields, but the header has {Columns.Count}");
            }

            var cells = new LogCell[indices.Length];
            for (var i = 0; i < indices.Length; i++)
            {
                cells[i] = LogCell.Of(fields[indices[i]]);
            }

            yield return new LogRow(row, cells);
        }
    }
}
