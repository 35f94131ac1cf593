using Rerank.Simulation.Datasets;

namespace Rerank.Simulation.Logs;

/// <summary>
/// Where each column of the long format is among the cells a row source yields (-1 when the file lacks an optional one),
/// resolved from the file's columns and the <c>columns:</c> and <c>features:</c> params.
/// </summary>
internal sealed class LogLayout
{
    private readonly List<string> _projection = [];

    private LogLayout()
    {
    }

    /// <summary>The file's columns to read, in cell order.</summary>
    public IReadOnlyList<string> Projection => _projection;

    public int RequestId { get; private set; } = -1;

    public int Timestamp { get; private set; } = -1;

    public int UserId { get; private set; } = -1;

    public int ItemId { get; private set; } = -1;

    public int Position { get; private set; } = -1;

    public int Click { get; private set; } = -1;

    public int Conversion { get; private set; } = -1;

    public int Gmv { get; private set; } = -1;

    public int Price { get; private set; } = -1;

    public int Propensity { get; private set; } = -1;

    public int MarginalPropensity { get; private set; } = -1;

    public int SlatePropensity { get; private set; } = -1;

    public int History { get; private set; } = -1;

    /// <summary>The declared logging policy's score column (<c>logging_policy.score</c>), or -1.</summary>
    public int LoggingScore { get; private set; } = -1;

    public int[] ItemCategorical { get; private set; } = [];

    public int[] ItemDense { get; private set; } = [];

    public int[] Priors { get; private set; } = [];

    public int[] UserCategorical { get; private set; } = [];

    public int[] UserDense { get; private set; } = [];

    public int[] ContextCategorical { get; private set; } = [];

    public int[] ContextDense { get; private set; } = [];

    public int[] Embedding { get; private set; } = [];

    /// <summary>The file's name of the cell at <paramref name="index"/>.</summary>
    public string Name(int index) => _projection[index];

    /// <summary>
    /// Resolves every column against <paramref name="source"/>'s columns; a missing required column, or one the params name
    /// that the file lacks, is an error listing the columns the file has.
    /// </summary>
    public static LogLayout Resolve(ILogRowSource source, LogsOptions options, LogProblems problems)
    {
        var layout = new LogLayout();
        var found = new HashSet<string>(source.Columns, StringComparer.Ordinal);
        var listing = source.Columns.Count == 0 ? "(none)" : string.Join(", ", source.Columns);
        int Column(string key, string? named, bool required)
        {
            var name = named ?? key;
            if (found.Contains(name))
            {
                return layout.Add(name);
            }

            if (required || named is not null)
            {
                var what = name == key ? $"column '{name}'" : $"column '{name}' ({key})";
                var hint = named is null ? $"; name the file's column with columns.{key}" : "";
                problems.AddFile($"{what} is missing; the file has columns: {listing}{hint}");
            }

            return -1;
        }

        int[] Features(string group, string[] names) => [.. names.Select(n => Column(group, n, required: true))];

        var c = options.Columns;
        layout.RequestId = Column("request_id", c.RequestId, required: true);
        layout.Timestamp = Column("timestamp", c.Timestamp, required: false);
        layout.UserId = Column("user_id", c.UserId, required: false);
        layout.ItemId = Column("item_id", c.ItemId, required: true);
        layout.Position = Column("position", c.Position, required: true);
        layout.Click = Column("click", c.Click, required: true);
        layout.Conversion = Column("conversion", c.Conversion, required: false);
        layout.Gmv = Column("gmv", c.Gmv, required: false);
        layout.Price = Column("price", c.Price, required: false);
        layout.Propensity = Column("propensity", c.Propensity, required: false);
        layout.MarginalPropensity = Column("marginal_propensity", c.MarginalPropensity, required: false);
        layout.SlatePropensity = Column("slate_propensity", c.SlatePropensity, required: false);
        layout.History = Column("history", c.History, required: false);
        if (options.LoggingPolicy?.Score is { } score)
        {
            layout.LoggingScore = Column("logging_policy.score", score, required: true);
        }

        var f = options.Features;
        layout.ItemCategorical = Features("features.item_categorical", f.ItemCategorical);
        layout.ItemDense = Features("features.item_dense", f.ItemDense);
        layout.Priors = Features("features.priors", f.Priors);
        layout.UserCategorical = Features("features.user_categorical", f.UserCategorical);
        layout.UserDense = Features("features.user_dense", f.UserDense);
        layout.ContextCategorical = Features("features.context_categorical", f.ContextCategorical);
        layout.ContextDense = Features("features.context_dense", f.ContextDense);
        layout.Embedding = Features("features.embedding", f.Embedding);
        if (options.Split.By == LogSplitBy.Time && layout.Timestamp < 0 && c.Timestamp is null)
        {
            problems.AddFile($"split.by: time needs a timestamp column, but the file has no column 'timestamp' (it has: {listing}); name it with columns.timestamp or split by request");
        }

        return layout;
    }

    private int Add(string name)
    {
        var index = _projection.IndexOf(name);
        if (index >= 0)
        {
            return index;
        }

        _projection.Add(name);
        return _projection.Count - 1;
    }
}
