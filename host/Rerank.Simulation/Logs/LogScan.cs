using Rerank.Simulation.Datasets;

namespace Rerank.Simulation.Logs;

/// <summary>
/// The first pass over a log: checks every row and every request, and collects what the second pass needs (the
/// vocabularies of categorical columns, each item's features, each request's id and timestamp). Holds one request's rows
/// at a time.
/// </summary>
internal sealed class LogScan
{
    private LogScan(LogLayout layout)
    {
        ItemCategorical = [.. layout.ItemCategorical.Select(_ => new LogVocabulary())];
        UserCategorical = [.. layout.UserCategorical.Select(_ => new LogVocabulary())];
        ContextCategorical = [.. layout.ContextCategorical.Select(_ => new LogVocabulary())];
        Users = layout.UserId >= 0 ? new LogVocabulary() : null;
    }

    /// <summary>Item ids (candidates and history entries).</summary>
    public LogVocabulary Items { get; } = new();

    /// <summary>User ids, or null when the log has no user_id column.</summary>
    public LogVocabulary? Users { get; }

    public LogVocabulary[] ItemCategorical { get; }

    public LogVocabulary[] UserCategorical { get; }

    public LogVocabulary[] ContextCategorical { get; }

    /// <summary>Each candidate item's features (by item id), from its first row.</summary>
    public Dictionary<int, LogCatalogueEntry> Catalogue { get; } = [];

    /// <summary>Every request in file order: its id and timestamp.</summary>
    public List<(string Id, long? Timestamp)> Requests { get; } = [];

    /// <summary>Data rows read.</summary>
    public long Rows { get; private set; }

    /// <summary>Whether some history entry is never a candidate (its item features are then an extra "unknown" id and zeros).</summary>
    public bool UnknownHistoryItems => _history.Any(id => !Catalogue.ContainsKey(id));

    private readonly HashSet<int> _history = [];

    /// <summary>Reads <paramref name="source"/> once; throws a <see cref="Runtime.Configuration.ConfigException"/> listing the errors found (up to <see cref="LogProblems.Cap"/>).</summary>
    public static LogScan Run(ILogRowSource source, LogLayout layout, LogsOptions options, LogProblems problems, IProgress<double>? progress)
    {
        var scan = new LogScan(layout);
        foreach (var rows in LogRequests.Group(source, layout, problems))
        {
            scan.Rows += rows.Count;
            if (rows.Any(r => r.Faulty))
            {
                continue;
            }

            scan.Check(rows, layout, options, problems);
            scan.Collect(rows);
        }

        if (scan.Requests.Count == 0 && !problems.Any)
        {
            problems.AddFile("the file has no data rows");
        }

        problems.ThrowIfAny();
        progress?.Report(0.5);
        return scan;
    }

    private void Collect(List<LoggedRow> rows)
    {
        var first = rows[0];
        Requests.Add((first.RequestId!, first.Timestamp));
        if (first.UserId is { } user)
        {
            Users?.Add(user);
        }

        Add(UserCategorical, first.UserCategorical);
        Add(ContextCategorical, first.ContextCategorical);
        foreach (var row in rows)
        {
            if (row.ItemId is not { } item)
            {
                continue;
            }

            var id = Items.Add(item);
            var categorical = Add(ItemCategorical, row.ItemCategorical);
            Catalogue.TryAdd(id, new LogCatalogueEntry(categorical, row.ItemDense, row.Embedding, row.Price ?? 0f));
        }

        foreach (var entry in first.History ?? [])
        {
            _history.Add(Items.Add(entry));
        }
    }

    private static int[] Add(LogVocabulary[] vocabularies, string?[] values)
    {
        var ids = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            ids[i] = values[i] is { } v ? vocabularies[i].Add(v) : 0;
        }

        return ids;
    }

    /// <summary>The checks that need the whole request: constant columns, positions 1 … L, clicks on shown rows, unique items.</summary>
    private void Check(List<LoggedRow> rows, LogLayout layout, LogsOptions options, LogProblems problems)
    {
        var first = rows[0];
        var id = first.RequestId;
        string Name(int index) => layout.Name(index);
        if (options.Split.By == LogSplitBy.Time && layout.Timestamp >= 0 && first.Timestamp is null)
        {
            problems.Add(first.Number, Name(layout.Timestamp), $"is empty on the first row of request '{id}'; split.by: time needs every request's timestamp");
        }

        if (layout.UserId >= 0 && first.UserId is null)
        {
            problems.Add(first.Number, Name(layout.UserId), $"is empty on the first row of request '{id}' (request-level columns are read from it)");
        }

        RequireFirst(layout.UserCategorical, first.UserCategorical.Select(v => v is not null));
        RequireFirst(layout.UserDense, first.UserDense.Select(v => v is not null));
        RequireFirst(layout.ContextCategorical, first.ContextCategorical.Select(v => v is not null));
        RequireFirst(layout.ContextDense, first.ContextDense.Select(v => v is not null));

        var items = new Dictionary<string, long>(StringComparer.Ordinal);
        var positions = new Dictionary<int, long>();
        foreach (var row in rows)
        {
            Constant(layout.Timestamp, row.Timestamp, first.Timestamp, row);
            Constant(layout.UserId, row.UserId, first.UserId, row);
            Constant(layout.SlatePropensity, row.SlatePropensity, first.SlatePropensity, row);
            if (row.ItemId is { } item && !items.TryAdd(item, row.Number))
            {
                var shown = row.Shown ? $"shown item (position {row.Position})" : "candidate";
                problems.Add(row.Number, Name(layout.ItemId), $"the {shown} repeats item '{item}', already a candidate of request '{id}' at {problems.RowWord} {items[item]}; candidates must be distinct");
            }

            if (row.Position is { } p)
            {
                if (!positions.TryAdd(p, row.Number))
                {
                    problems.Add(row.Number, Name(layout.Position), $"position {p} is already taken at {problems.RowWord} {positions[p]} of request '{id}'; each position holds one item");
                }

                if (row.Click is null)
                {
                    problems.Add(row.Number, Name(layout.Click), $"is empty on a shown row (position {p}); every shown row needs 0 or 1");
                }

                if (layout.Propensity >= 0 && row.Propensity is null)
                {
                    problems.Add(row.Number, Name(layout.Propensity), $"is empty on a shown row (position {p}); when the column is there, every shown row needs it");
                }

                if (layout.MarginalPropensity >= 0 && row.MarginalPropensity is null)
                {
                    problems.Add(row.Number, Name(layout.MarginalPropensity), $"is empty on a shown row (position {p}); when the column is there, every shown row needs it");
                }
            }
            else if (row.Click == true)
            {
                problems.Add(row.Number, Name(layout.Click), "is 1 on a row that was not shown (its position is empty); only shown items can be clicked");
            }
        }

        if (positions.Count == 0)
        {
            problems.Add(first.Number, Name(layout.Position), $"request '{id}' has no shown row; at least position 1 must be filled");
            return;
        }

        var missing = Enumerable.Range(1, positions.Count).Where(p => !positions.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            var shown = string.Join(", ", positions.Keys.Order());
            problems.Add(first.Number, Name(layout.Position), $"request '{id}' shows positions {shown}: {string.Join(", ", missing)} missing; the shown positions must be 1 … L without gaps");
        }

        void RequireFirst(int[] columns, IEnumerable<bool> present)
        {
            foreach (var (column, ok) in columns.Zip(present))
            {
                if (!ok)
                {
                    problems.Add(first.Number, Name(column), $"is empty on the first row of request '{id}' (request-level columns are read from it)");
                }
            }
        }

        void Constant<T>(int column, T? value, T? expected, LoggedRow row)
        {
            if (column >= 0 && value is not null && !EqualityComparer<T?>.Default.Equals(value, expected))
            {
                problems.Add(row.Number, Name(column), $"differs from the first row of request '{id}' ({problems.RowWord} {first.Number}); it must be constant within a request");
            }
        }
    }
}
