using System.Globalization;

namespace Rerank.Simulation.Logs;

/// <summary>What a cell of an impression log holds, before it is read as the column's type.</summary>
internal enum LogCellKind
{
    /// <summary>Empty: a null, a missing JSON key, an empty CSV field.</summary>
    Null,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A floating-point number.</summary>
    Number,

    /// <summary>Text (every CSV field).</summary>
    Text,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A list of texts (a JSON array).</summary>
    List,
}

/// <summary>One cell of an impression log as the file stores it.</summary>
internal readonly record struct LogCell(LogCellKind Kind, long Integer = 0, double Number = 0, string? Text = null, string[]? List = null)
{
    /// <summary>An empty cell.</summary>
    public static LogCell Null => default;

    /// <summary>Whether the cell is empty.</summary>
    public bool IsNull => Kind == LogCellKind.Null;

    /// <summary>A whole number.</summary>
    public static LogCell Of(long value) => new(LogCellKind.Integer, Integer: value);

    /// <summary>A floating-point number.</summary>
    public static LogCell Of(double value) => new(LogCellKind.Number, Number: value);

    /// <summary>Text; empty text is an empty cell.</summary>
    public static LogCell Of(string? value) => string.IsNullOrEmpty(value) ? Null : new(LogCellKind.Text, Text: value);

    /// <summary>A boolean.</summary>
    public static LogCell Of(bool value) => new(LogCellKind.Boolean, Integer: value ? 1 : 0);

    /// <summary>A list of texts.</summary>
    public static LogCell OfList(string[] values) => new(LogCellKind.List, List: values);

    /// <summary>The cell as text (numbers invariant; lists '|'-joined), or null when empty.</summary>
    public string? AsText() => Kind switch
    {
        LogCellKind.Null => null,
        LogCellKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        LogCellKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        LogCellKind.Text => Text,
        LogCellKind.Boolean => Integer == 1 ? "true" : "false",
        _ => string.Join('|', List!),
    };
}

/// <summary>One data row of a log: its 1-based number (the line, for JSON Lines) and its cells, in the order the columns were asked for.</summary>
internal sealed record LogRow(long Number, LogCell[] Cells);
