using System.IO.Compression;
using System.Text;
using Rerank.Simulation.Datasets;

namespace Rerank.Simulation.Logs;

/// <summary>Which format a log file has, and how to open it.</summary>
internal static class LogFiles
{
    /// <summary>The format <paramref name="format"/> names, or the one <paramref name="path"/>'s extension implies; null when neither says.</summary>
    public static LogFormat? Resolve(string path, LogFormat format)
    {
        if (format != LogFormat.Auto)
        {
            return format;
        }

        var name = path.ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            name = name[..^3];
        }

        return Path.GetExtension(name) switch
        {
            ".parquet" => LogFormat.Parquet,
            ".jsonl" or ".ndjson" or ".json" => LogFormat.Jsonl,
            ".csv" => LogFormat.Csv,
            _ => null,
        };
    }

    /// <summary>The row source of <paramref name="path"/> in <paramref name="format"/> (not <see cref="LogFormat.Auto"/>).</summary>
    public static ILogRowSource Open(string path, LogFormat format) => format switch
    {
        LogFormat.Parquet => new ParquetRowSource(path),
        LogFormat.Jsonl => new JsonLinesRowSource(path),
        LogFormat.Csv => new CsvRowSource(path),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "resolve the format first"),
    };

    /// <summary>A text reader of <paramref name="path"/>, decompressed when the name ends with <c>.gz</c>.</summary>
    public static StreamReader Text(string path)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    /// <summary>The index of each of <paramref name="wanted"/> in <paramref name="columns"/> (every one must be there).</summary>
    public static int[] Indices(IReadOnlyList<string> columns, IReadOnlyList<string> wanted)
    {
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            at.TryAdd(columns[i], i);
        }

        return [.. wanted.Select(w => at.TryGetValue(w, out var i) ? i : throw new ArgumentException($"column '{w}' is not in the file", nameof(wanted)))];
    }
}
