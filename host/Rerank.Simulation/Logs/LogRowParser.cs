using System.Globalization;

namespace Rerank.Simulation.Logs;

/// <summary>
/// Reads the cells of a row as the long format's types and ranges; each problem is an error naming the row and the
/// file's column, and the row is still returned (with a default in place of the bad value) so reading can go on.
/// </summary>
internal sealed class LogRowParser(LogLayout layout, LogProblems problems)
{
    private const NumberStyles Float = NumberStyles.Float | NumberStyles.AllowThousands;

    public LoggedRow Parse(LogRow row)
    {
        var cells = row.Cells;
        var n = row.Number;
        var before = problems.Count;
        var position = Long(cells, layout.Position, n);
        if (position is { } p && (p < 1 || p > int.MaxValue))
        {
            problems.Add(n, layout.Name(layout.Position), $"position must be 1 or more (1 = first shown), got {p}");
            position = null;
        }

        var parsed = new LoggedRow
        {
            Number = n,
            RequestId = Id(cells, layout.RequestId, n, required: true),
            Timestamp = Long(cells, layout.Timestamp, n),
            UserId = Id(cells, layout.UserId, n, required: false),
            ItemId = Id(cells, layout.ItemId, n, required: true),
            Position = (int?)position,
            Click = Flag(cells, layout.Click, n),
            Conversion = Flag(cells, layout.Conversion, n),
            Gmv = (float?)Number(cells, layout.Gmv, n, 0, double.MaxValue, "gmv must be 0 or more"),
            Price = (float?)Number(cells, layout.Price, n, 0, double.MaxValue, "price must be 0 or more"),
            Propensity = Probability(cells, layout.Propensity, n),
            MarginalPropensity = Probability(cells, layout.MarginalPropensity, n),
            SlatePropensity = Probability(cells, layout.SlatePropensity, n),
            History = List(cells, layout.History, n),
            LoggingScore = layout.LoggingScore < 0 ? null : Score(cells, layout.LoggingScore, n),
            ItemCategorical = [.. layout.ItemCategorical.Select(i => Id(cells, i, n, required: true))],
            ItemDense = [.. layout.ItemDense.Select(i => Required(cells, i, n, double.MinValue, double.MaxValue, ""))],
            Priors = [.. layout.Priors.Select(i => Required(cells, i, n, 0, 1, "a prior must be in [0, 1]"))],
            Embedding = [.. layout.Embedding.Select(i => Required(cells, i, n, double.MinValue, double.MaxValue, ""))],
            UserCategorical = [.. layout.UserCategorical.Select(i => Id(cells, i, n, required: false))],
            UserDense = [.. layout.UserDense.Select(i => (float?)Number(cells, i, n, double.MinValue, double.MaxValue, ""))],
            ContextCategorical = [.. layout.ContextCategorical.Select(i => Id(cells, i, n, required: false))],
            ContextDense = [.. layout.ContextDense.Select(i => (float?)Number(cells, i, n, double.MinValue, double.MaxValue, ""))],
        };
        return problems.Count == before ? parsed : new LoggedRow
        {
            Number = n,
            RequestId = parsed.RequestId,
            ItemId = parsed.ItemId,
            Faulty = true,
            ItemCategorical = [],
            ItemDense = [],
            Priors = [],
            Embedding = [],
            UserCategorical = [],
            UserDense = [],
            ContextCategorical = [],
            ContextDense = [],
        };
    }

    private string? Id(LogCell[] cells, int index, long row, bool required)
    {
        if (index < 0)
        {
            return null;
        }

        var cell = cells[index];
        switch (cell.Kind)
        {
            case LogCellKind.Text or LogCellKind.Integer:
                return cell.AsText();
            case LogCellKind.Null:
                if (required)
                {
                    problems.Add(row, layout.Name(index), "is empty; every row needs a value here");
                }

                return null;
            default:
                problems.Add(row, layout.Name(index), $"expected a string or an integer, got {Describe(cell)}");
                return null;
        }
    }

    private long? Long(LogCell[] cells, int index, long row)
    {
        if (index < 0)
        {
            return null;
        }

        var cell = cells[index];
        switch (cell.Kind)
        {
            case LogCellKind.Null:
                return null;
            case LogCellKind.Integer:
                return cell.Integer;
            case LogCellKind.Number when cell.Number == Math.Floor(cell.Number) && Math.Abs(cell.Number) < 9e15:
                return (long)cell.Number;
            case LogCellKind.Text when long.TryParse(cell.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value):
                return value;
            default:
                problems.Add(row, layout.Name(index), $"expected an integer, got {Describe(cell)}");
                return null;
        }
    }

    private double? Number(LogCell[] cells, int index, long row, double min, double max, string range)
    {
        if (index < 0)
        {
            return null;
        }

        var cell = cells[index];
        double value;
        switch (cell.Kind)
        {
            case LogCellKind.Null:
                return null;
            case LogCellKind.Integer:
                value = cell.Integer;
                break;
            case LogCellKind.Number:
                value = cell.Number;
                break;
            case LogCellKind.Text when double.TryParse(cell.Text, Float, CultureInfo.InvariantCulture, out var parsed):
                value = parsed;
                break;
            default:
                problems.Add(row, layout.Name(index), $"expected a number, got {Describe(cell)}");
                return null;
        }

        if (!double.IsFinite(value) || !float.IsFinite((float)value))
        {
            problems.Add(row, layout.Name(index), $"must be a finite number, got {Format(value)}");
            return null;
        }

        if (value < min || value > max)
        {
            problems.Add(row, layout.Name(index), $"{range}, got {Format(value)}");
            return null;
        }

        return value;
    }

    private float Required(LogCell[] cells, int index, long row, double min, double max, string range)
    {
        if (cells[index].IsNull)
        {
            problems.Add(row, layout.Name(index), "is empty; every row needs a value here");
            return 0f;
        }

        return (float)(Number(cells, index, row, min, max, range) ?? 0);
    }

    private double Score(LogCell[] cells, int index, long row)
    {
        if (cells[index].IsNull)
        {
            problems.Add(row, layout.Name(index), "is empty; the declared logging policy needs every candidate's score");
            return 0;
        }

        return Number(cells, index, row, double.MinValue, double.MaxValue, "") ?? 0;
    }

    private double? Probability(LogCell[] cells, int index, long row)
    {
        var value = Number(cells, index, row, double.MinValue, double.MaxValue, "");
        if (value is { } p && (p <= 0 || p > 1))
        {
            problems.Add(row, layout.Name(index), $"a propensity must be in (0, 1], got {Format(p)}");
            return null;
        }

        return value;
    }

    private bool? Flag(LogCell[] cells, int index, long row)
    {
        if (index < 0)
        {
            return null;
        }

        var cell = cells[index];
        switch (cell.Kind)
        {
            case LogCellKind.Null:
                return null;
            case LogCellKind.Integer or LogCellKind.Boolean when cell.Integer is 0 or 1:
                return cell.Integer == 1;
            case LogCellKind.Number when cell.Number is 0.0 or 1.0:
                return cell.Number == 1.0;
            case LogCellKind.Text when cell.Text is "0" or "1" or "true" or "false":
                return cell.Text is "1" or "true";
            default:
                problems.Add(row, layout.Name(index), $"expected 0 or 1, got {Describe(cell)}");
                return null;
        }
    }

    private string[]? List(LogCell[] cells, int index, long row)
    {
        if (index < 0)
        {
            return null;
        }

        var cell = cells[index];
        switch (cell.Kind)
        {
            case LogCellKind.Null:
                return null;
            case LogCellKind.List:
                return cell.List;
            case LogCellKind.Text:
                return cell.Text!.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            case LogCellKind.Integer:
                return [cell.AsText()!];
            default:
                problems.Add(row, layout.Name(index), $"expected a list of item ids (a JSON array or a '|'-separated string), got {Describe(cell)}");
                return null;
        }
    }

    /// <summary>What a cell holds, for errors: numbers by value, short text quoted, long text by its length.</summary>
    private static string Describe(LogCell cell) => cell.Kind switch
    {
        LogCellKind.Integer => cell.Integer.ToString(CultureInfo.InvariantCulture),
        LogCellKind.Number => Format(cell.Number),
        LogCellKind.Boolean => cell.Integer == 1 ? "true" : "false",
        LogCellKind.Text => cell.Text!.Length <= 24 ? $"'{cell.Text}'" : $"text of {cell.Text.Length} characters",
        LogCellKind.List => "a list",
        _ => "nothing",
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
