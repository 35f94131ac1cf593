using Rerank.Abstractions;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logging;

namespace Rerank.Simulation.Logs;

/// <summary>What a log holds once read: the schema, logged lists per split, and the test split's impressions.</summary>
internal sealed record LogsData(
    FeatureSchema Schema,
    List<LoggedList> Train,
    List<LoggedList> Validation,
    List<LoggedImpression> Test,
    LogFormat Format,
    long Rows,
    int Items);

/// <summary>
/// Reads an impression log in the long format (docs/logs.md) in two streaming passes: the first checks every row and
/// request and builds the vocabularies (<see cref="LogScan"/>); the second builds each request as it reads it.
/// </summary>
internal static class LogsReader
{
    /// <summary>Reads <paramref name="path"/>; a bad file throws a <see cref="Runtime.Configuration.ConfigException"/> naming file, row and column.</summary>
    public static LogsData Read(string path, LogsOptions options, ulong seed, IProgress<double>? progress = null)
    {
        var format = LogFiles.Resolve(path, options.Format)
            ?? throw new Runtime.Configuration.ConfigException(new SourceLocation(path, 0, 0), "cannot tell the format from the extension; use .parquet, .jsonl or .csv, or set params.format");
        var source = LogFiles.Open(path, format);
        var problems = new LogProblems(path, source.RowWord, source.Columns);
        var layout = LogLayout.Resolve(source, options, problems);
        problems.ThrowIfAny();
        var scan = LogScan.Run(source, layout, options, problems, progress);
        var splits = LogSplit.Assign(scan.Requests, options.Split, seed);
        var schema = Schema(scan, options.Features);
        var builder = new LogRequestBuilder(layout, scan, schema, options, problems, seed);
        var train = new List<LoggedList>();
        var validation = new List<LoggedList>();
        var test = new List<LoggedImpression>();
        var index = 0;
        foreach (var rows in LogRequests.Group(source, layout, problems))
        {
            switch (splits[index++])
            {
                case LogSplit.Train:
                    train.Add(builder.BuildList(rows));
                    break;
                case LogSplit.Validation:
                    validation.Add(builder.BuildList(rows));
                    break;
                default:
                    test.Add(builder.Build(rows));
                    break;
            }
        }

        problems.ThrowIfAny();
        progress?.Report(1.0);
        return new LogsData(schema, train, validation, test, format, scan.Rows, scan.Items.Count);
    }

    /// <summary>
    /// item_id, the item categorical columns, user_id (when the log has it), user and context categorical columns, then the
    /// dense columns of each side (width 1 each); priors and embedding as named. A categorical column gets one extra id
    /// (V) for history items that are never candidates, when there are such.
    /// </summary>
    private static FeatureSchema Schema(LogScan scan, LogFeatureColumns features)
    {
        var unknown = scan.UnknownHistoryItems ? 1 : 0;
        var fields = new List<FeatureField> { new(LogColumnNames.ItemIdFeature, FeatureKind.Categorical, FeatureSide.Item, scan.Items.Count) };
        fields.AddRange(features.ItemCategorical.Select((name, i) => new FeatureField(name, FeatureKind.Categorical, FeatureSide.Item, scan.ItemCategorical[i].Count + unknown)));
        if (scan.Users is { } users)
        {
            fields.Add(new(LogColumnNames.UserIdFeature, FeatureKind.Categorical, FeatureSide.User, users.Count));
        }

        fields.AddRange(features.UserCategorical.Select((name, i) => new FeatureField(name, FeatureKind.Categorical, FeatureSide.User, scan.UserCategorical[i].Count)));
        fields.AddRange(features.ContextCategorical.Select((name, i) => new FeatureField(name, FeatureKind.Categorical, FeatureSide.Context, scan.ContextCategorical[i].Count)));
        fields.AddRange(features.ItemDense.Select(name => new FeatureField(name, FeatureKind.Dense, FeatureSide.Item, 1)));
        fields.AddRange(features.UserDense.Select(name => new FeatureField(name, FeatureKind.Dense, FeatureSide.User, 1)));
        fields.AddRange(features.ContextDense.Select(name => new FeatureField(name, FeatureKind.Dense, FeatureSide.Context, 1)));
        return new FeatureSchema(fields, features.Priors, features.Embedding.Length);
    }
}
