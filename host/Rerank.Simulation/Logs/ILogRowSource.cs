namespace Rerank.Simulation.Logs;

/// <summary>
/// The rows of one impression log file, whatever its format, read lazily: a source never holds more than one row (a
/// Parquet source: one row group) at a time, and each call of <see cref="Rows"/> reads the file afresh.
/// </summary>
internal interface ILogRowSource
{
    /// <summary>The file.</summary>
    string File { get; }

    /// <summary>How a row is counted in errors: <c>row</c> (data rows, header excluded) or <c>line</c> (JSON Lines).</summary>
    string RowWord { get; }

    /// <summary>The columns the file has (CSV: the header; Parquet: the schema; JSON Lines: the first line's keys).</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>Every row, front to back, with the cells of <paramref name="columns"/> (each one of <see cref="Columns"/>) in that order.</summary>
    IEnumerable<LogRow> Rows(IReadOnlyList<string> columns);
}
