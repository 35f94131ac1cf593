using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Rerank.Runtime.IO;
using Rerank.Simulation.Datasets;

namespace Rerank.Simulation.Logs;

/// <summary>The type a written log column has.</summary>
internal enum LogColumnType
{
    /// <summary>Strings.</summary>
    Text,

    /// <summary>64-bit integers.</summary>
    Integer,

    /// <summary>Doubles.</summary>
    Number,

    /// <summary>Lists of ids: a JSON array in JSON Lines, a '|'-separated string in CSV and Parquet.</summary>
    List,
}

/// <summary>One column of a written log.</summary>
internal sealed record LogColumn(string Name, LogColumnType Type);

/// <summary>
/// Writes rows of the long format as Parquet, JSON Lines (gzipped when the name ends with <c>.gz</c>) or CSV, atomically
/// (a temp file renamed into place) and streaming: Parquet buffers one row group at a time.
/// </summary>
internal static class LogWriter
{
    /// <summary>Rows per Parquet row group by default.</summary>
    public const int DefaultRowGroupSize = 65_536;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="rows"/> (cells in the order of <paramref name="columns"/>) to <paramref name="path"/>.</summary>
    public static void Write(string path, LogFormat format, IReadOnlyList<LogColumn> columns, IEnumerable<LogCell[]> rows, int rowGroupSize = DefaultRowGroupSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        AtomicFile.Write(path, stream =>
        {
            switch (format)
            {
                case LogFormat.Parquet:
                    WriteParquet(stream, columns, rows, rowGroupSize);
                    break;
                case LogFormat.Jsonl when path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase):
                    using (var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true))
                    {
                        WriteJsonLines(gzip, columns, rows);
                    }

                    break;
                case LogFormat.Jsonl:
                    WriteJsonLines(stream, columns, rows);
                    break;
                case LogFormat.Csv:
                    WriteCsv(stream, columns, rows);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, "name a format");
            }
        });
    }

    private static void WriteCsv(Stream stream, IReadOnlyList<LogColumn> columns, IEnumerable<LogCell[]> rows)
    {
        using var text = new StreamWriter(stream, Utf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
        text.WriteLine(string.Join(',', columns.Select(c => CsvReader.Quote(c.Name))));
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    text.Write(',');
                }

                if (row[i].AsText() is { } value)
                {
                    text.Write(CsvReader.Quote(value));
                }
            }

            text.WriteLine();
        }
    }

    private static void WriteJsonLines(Stream stream, IReadOnlyList<LogColumn> columns, IEnumerable<LogCell[]> rows)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var row in rows)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                var cell = row[i];
                writer.WritePropertyName(columns[i].Name);
                switch (cell.Kind)
                {
                    case LogCellKind.Null:
                        writer.WriteNullValue();
                        break;
                    case LogCellKind.Integer:
                        writer.WriteNumberValue(cell.Integer);
                        break;
                    case LogCellKind.Number:
                        writer.WriteNumberValue(cell.Number);
                        break;
                    case LogCellKind.Boolean:
                        writer.WriteBooleanValue(cell.Integer == 1);
                        break;
                    case LogCellKind.List:
                        writer.WriteStartArray();
                        foreach (var entry in cell.List!)
                        {
                            writer.WriteStringValue(entry);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        writer.WriteStringValue(cell.Text);
                        break;
                }
            }

            writer.WriteEndObject();
            writer.Flush();
            stream.Write(buffer.WrittenSpan);
            stream.WriteByte((byte)'\n');
        }
    }

    private static void WriteParquet(Stream stream, IReadOnlyList<LogColumn> columns, IEnumerable<LogCell[]> rows, int rowGroupSize)
    {
        DataField[] fields = [.. columns.Select(c => c.Type switch
        {
            LogColumnType.Integer => (DataField)new DataField<long?>(c.Name),
            LogColumnType.Number => new DataField<double?>(c.Name),
            _ => new DataField<string>(c.Name, nullable: true),
        })];
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
        try
        {
            var group = new List<LogCell[]>(Math.Min(rowGroupSize, 1 << 16));
            foreach (var row in rows)
            {
                group.Add(row);
                if (group.Count == rowGroupSize)
                {
                    WriteGroup(writer, fields, columns, group);
                    group.Clear();
                }
            }

            if (group.Count > 0)
            {
                WriteGroup(writer, fields, columns, group);
            }
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void WriteGroup(ParquetWriter writer, DataField[] fields, IReadOnlyList<LogColumn> columns, List<LogCell[]> group)
    {
        using var rowGroup = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
        {
            switch (columns[c].Type)
            {
                case LogColumnType.Integer:
                    var integers = group.Select(r => r[c].IsNull ? (long?)null : r[c].Kind == LogCellKind.Number ? (long)r[c].Number : r[c].Integer).ToArray();
                    rowGroup.WriteAsync<long>(fields[c], integers.AsMemory()).GetAwaiter().GetResult();
                    break;
                case LogColumnType.Number:
                    var numbers = group.Select(r => r[c].IsNull ? (double?)null : r[c].Kind == LogCellKind.Integer ? r[c].Integer : r[c].Number).ToArray();
                    rowGroup.WriteAsync<double>(fields[c], numbers.AsMemory()).GetAwaiter().GetResult();
                    break;
                default:
                    rowGroup.WriteAsync(fields[c], group.Select(r => r[c].AsText()).ToArray()).GetAwaiter().GetResult();
                    break;
            }
        }

        rowGroup.CompleteValidate();
    }
}
