using Rerank.Abstractions;
using Rerank.Runtime.Configuration;

namespace Rerank.Simulation.Logs;

/// <summary>
/// Errors found in one log file, each naming the file, the row (or line) and the column by the file's own name; reading
/// goes on after an error until <see cref="Cap"/> of them are collected, then stops with all of them.
/// </summary>
internal sealed class LogProblems(string file, string rowWord, IReadOnlyList<string> columns)
{
    /// <summary>How many errors are collected before reading stops.</summary>
    public const int Cap = 20;

    private readonly List<ConfigError> _errors = [];

    /// <summary>How rows are counted: <c>row</c> or <c>line</c>.</summary>
    public string RowWord => rowWord;

    /// <summary>How many errors were found.</summary>
    public int Count => _errors.Count;

    /// <summary>Whether any error was found.</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>An error in <paramref name="column"/> (the file's name) of data row <paramref name="row"/>.</summary>
    public void Add(long row, string column, string message)
    {
        _errors.Add(new ConfigError(At(file, row, columns, column), $"{rowWord} {row}, column '{column}': {message}"));
        if (_errors.Count >= Cap)
        {
            _errors.Add(new ConfigError(new SourceLocation(file, 0, 0), $"stopped reading after {Cap} errors"));
            Throw();
        }
    }

    /// <summary>An error about the file as a whole (no row).</summary>
    public void AddFile(string message) => _errors.Add(new ConfigError(new SourceLocation(file, 0, 0), message));

    /// <summary>Throws a <see cref="ConfigException"/> with every error when there is any.</summary>
    public void ThrowIfAny()
    {
        if (Any)
        {
            Throw();
        }
    }

    /// <summary>A single error at <paramref name="row"/> and <paramref name="column"/>, thrown at once (the file cannot be read on).</summary>
    public static ConfigException Fatal(string file, string rowWord, long row, IReadOnlyList<string> columns, string? column, string message) =>
        new(At(file, row, columns, column), column is null ? $"{rowWord} {row}: {message}" : $"{rowWord} {row}, column '{column}': {message}");

    private static SourceLocation At(string file, long row, IReadOnlyList<string> columns, string? column)
    {
        var index = column is null ? -1 : IndexOf(columns, column);
        return new SourceLocation(file, (int)Math.Min(row, int.MaxValue), index + 1);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void Throw() => throw new ConfigException([.. _errors]);
}
