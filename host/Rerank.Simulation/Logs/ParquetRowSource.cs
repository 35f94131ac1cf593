using Parquet;
using Parquet.Schema;

namespace Rerank.Simulation.Logs;

/// <summary>
/// A Parquet log, read row group by row group (only the columns asked for); a column of strings, booleans, integers or
/// floats, nullable or not. A string column holding a list ('|'-separated) is text here.
/// </summary>
internal sealed class ParquetRowSource : ILogRowSource
{
    private readonly DataField[] _fields;

    public ParquetRowSource(string path)
    {
        File = path;
        try
        {
            var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
            _fields = reader.Schema.GetDataFields();
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw LogProblems.Fatal(path, "row", 0, [], null, $"not a readable Parquet file ({e.Message})");
        }

        Columns = [.. _fields.Select(f => f.Name)];
    }

    public string File { get; }

    public string RowWord => "row";

    public IReadOnlyList<string> Columns { get; }

    public IEnumerable<LogRow> Rows(IReadOnlyList<string> columns)
    {
        var fields = LogFiles.Indices(Columns, columns).Select(i => _fields[i]).ToArray();
        foreach (var field in fields.Where(f => f.IsArray))
        {
            throw LogProblems.Fatal(File, RowWord, 0, Columns, field.Name, "a repeated (list) column is not supported; write lists as '|'-separated strings");
        }

        var reader = ParquetReader.CreateAsync(File).GetAwaiter().GetResult();
        try
        {
            foreach (var row in Groups(reader, fields))
            {
                yield return row;
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private IEnumerable<LogRow> Groups(ParquetReader reader, DataField[] fields)
    {
        var row = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            LogCell[][] group;
            int count;
            using (var rowGroup = reader.OpenRowGroupReader(g))
            {
                count = checked((int)rowGroup.RowCount);
                group = [.. fields.Select(f => ReadColumn(rowGroup, f, count, row))];
            }

            for (var r = 0; r < count; r++)
            {
                row++;
                var cells = new LogCell[fields.Length];
                for (var c = 0; c < cells.Length; c++)
                {
                    cells[c] = group[c][r];
                }

                yield return new LogRow(row, cells);
            }
        }
    }

    private LogCell[] ReadColumn(ParquetRowGroupReader rowGroup, DataField field, int count, long rowsBefore)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return type switch
        {
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => Strings(rowGroup, field, count),
            _ when type == typeof(bool) => Values<bool>(rowGroup, field, count, v => LogCell.Of(v)),
            _ when type == typeof(sbyte) => Values<sbyte>(rowGroup, field, count, v => LogCell.Of((long)v)),
            _ when type == typeof(byte) => Values<byte>(rowGroup, field, count, v => LogCell.Of((long)v)),
            _ when type == typeof(short) => Values<short>(rowGroup, field, count, v => LogCell.Of((long)v)),
            _ when type == typeof(ushort) => Values<ushort>(rowGroup, field, count, v => LogCell.Of((long)v)),
            _ when type == typeof(int) => Values<int>(rowGroup, field, count, v => LogCell.Of((long)v)),
            _ when type == typeof(uint) => Values<uint>(rowGroup, field, count, v => LogCell.Of((long)v)),
            _ when type == typeof(long) => Values<long>(rowGroup, field, count, v => LogCell.Of(v)),
            _ when type == typeof(float) => Values<float>(rowGroup, field, count, v => LogCell.Of((double)v)),
            _ when type == typeof(double) => Values<double>(rowGroup, field, count, v => LogCell.Of(v)),
            _ => throw LogProblems.Fatal(File, RowWord, rowsBefore + 1, Columns, field.Name, $"Parquet type {type.Name} is not supported; use strings, booleans, integers or floats"),
        };
    }

    private static LogCell[] Strings(ParquetRowGroupReader rowGroup, DataField field, int count)
    {
        var values = new string?[count];
        rowGroup.ReadAsync(field, values.AsMemory()).GetAwaiter().GetResult();
        return Array.ConvertAll(values, LogCell.Of);
    }

    private static LogCell[] Values<T>(ParquetRowGroupReader rowGroup, DataField field, int count, Func<T, LogCell> cell)
        where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[count];
            rowGroup.ReadAsync(field, nullable.AsMemory()).GetAwaiter().GetResult();
            return Array.ConvertAll(nullable, v => v is { } value ? cell(value) : LogCell.Null);
        }

        var values = new T[count];
        rowGroup.ReadAsync(field, values.AsMemory()).GetAwaiter().GetResult();
        return Array.ConvertAll(values, v => cell(v));
    }
}
