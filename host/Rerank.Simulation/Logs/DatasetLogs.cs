using System.Globalization;
using Rerank.Abstractions;
using Rerank.Simulation.Datasets;

namespace Rerank.Simulation.Logs;

/// <summary>
/// Writes the data of any dataset type (MovieLens-100K, say) as one impression log in the long format of docs/logs.md,
/// so that <c>dataset: {type: logs}</c> reads the same lists back: the training and validation lists as logged (their
/// shown slate and clicks), then the test requests — their logged impressions where the dataset has them, else the whole
/// candidate list in its order as the shown slate with the test labels as clicks. Feature columns are named after the
/// schema (an item categorical field by its name, a dense field by its name or <c>name_k</c> per dimension, priors by
/// theirs, the embedding as <c>embedding_k</c>); no propensities: only the simulator's export knows its logging policy
/// (<see cref="SimulatedLogs"/>).
/// </summary>
public static class DatasetLogs
{
    /// <summary>What was written: the rows and requests per split.</summary>
    /// <param name="Rows">Rows written (one per candidate).</param>
    /// <param name="Train">Training requests.</param>
    /// <param name="Validation">Validation requests.</param>
    /// <param name="Test">Test requests.</param>
    public sealed record Written(long Rows, int Train, int Validation, int Test);

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> (atomically, streaming) in <paramref name="format"/>.</summary>
    /// <exception cref="InvalidOperationException">A test request has neither a logged impression nor labels.</exception>
    public static Written Write(ExperimentData data, string path, LogFormat format, int rowGroupSize = LogWriter.DefaultRowGroupSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        var layout = new Layout(data.Schema);
        var rows = 0L;
        IEnumerable<LogCell[]> Rows()
        {
            var timestamp = 0L;
            foreach (var (split, lists) in new[] { ("train", data.Training.Train), ("validation", data.Training.Validation) })
            {
                foreach (var list in lists)
                {
                    foreach (var row in layout.RequestRows(list.Request, list.Exposed, list.Clicks, list.Conversions, split, timestamp++))
                    {
                        rows++;
                        yield return row;
                    }
                }
            }

            for (var i = 0; i < data.Test.Count; i++)
            {
                var request = data.Test[i];
                var (shown, clicks) = data.TestImpressions?[i] is { } impression
                    ? (impression.Logged.Exposed, impression.Logged.Clicks)
                    : data.TestLabels?[i] is { } labels
                    ? ([.. Enumerable.Range(0, request.Candidates.Count)], labels)
                    : throw new InvalidOperationException($"test request '{request.RequestId}' has neither a logged impression nor labels to write as its clicks");
                foreach (var row in layout.RequestRows(request, shown, clicks, null, "test", timestamp++))
                {
                    rows++;
                    yield return row;
                }
            }
        }

        LogWriter.Write(path, format, layout.Columns, Rows(), rowGroupSize);
        return new Written(rows, data.Training.Train.Count, data.Training.Validation.Count, data.Test.Count);
    }

    /// <summary>The <c>params:</c> that read the file back: the feature columns by group and the split by time with the written shares.</summary>
    public static string ParamsYaml(FeatureSchema schema, Written written)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(written);
        var layout = new Layout(schema);
        var total = Math.Max(1, written.Train + written.Validation + written.Test);
        var groups = new (string Name, IReadOnlyList<string> Columns)[]
        {
            ("item_categorical", layout.ItemCategorical), ("item_dense", layout.ItemDense), ("priors", [.. schema.PriorNames]),
            ("user_categorical", layout.UserCategorical), ("user_dense", layout.UserDense),
            ("context_categorical", layout.ContextCategorical), ("context_dense", layout.ContextDense), ("embedding", layout.Embedding),
        };
        var features = string.Join(", ", groups.Where(g => g.Columns.Count > 0).Select(g => $"{g.Name}: [{string.Join(", ", g.Columns)}]"));
        return $"features: {{{features}}}\n"
            + string.Create(CultureInfo.InvariantCulture, $"split: {{by: time, validation: {(double)written.Validation / total:0.######}, test: {(double)written.Test / total:0.######}}}\n");
    }

    /// <summary>The columns of a schema and how a request's values fill them.</summary>
    private sealed class Layout
    {
        public Layout(FeatureSchema schema)
        {
            ItemIdField = IndexOf(schema, FeatureSide.Item, "item_id");
            ItemCategorical = [.. schema.Select(FeatureSide.Item, FeatureKind.Categorical).Select(f => f.Name).Where(n => n != "item_id")];
            ItemDense = DenseColumns(schema, FeatureSide.Item);
            UserCategorical = [.. schema.Select(FeatureSide.User, FeatureKind.Categorical).Select(f => f.Name).Where(n => n != "user_id")];
            UserIdField = IndexOf(schema, FeatureSide.User, "user_id");
            UserDense = DenseColumns(schema, FeatureSide.User);
            ContextCategorical = [.. schema.Select(FeatureSide.Context, FeatureKind.Categorical).Select(f => f.Name)];
            ContextDense = DenseColumns(schema, FeatureSide.Context);
            Priors = [.. schema.PriorNames];
            Embedding = [.. Enumerable.Range(0, schema.EmbeddingWidth).Select(SimulatedLogs.EmbeddingColumn)];
            Columns =
            [
                .. LogRows.LeadColumns,
                new("conversion", LogColumnType.Integer),
                new("price", LogColumnType.Number),
                .. ItemCategorical.Select(c => new LogColumn(c, LogColumnType.Integer)),
                .. ItemDense.Select(c => new LogColumn(c, LogColumnType.Number)),
                .. Priors.Select(c => new LogColumn(c, LogColumnType.Number)),
                .. UserCategorical.Select(c => new LogColumn(c, LogColumnType.Integer)),
                .. UserDense.Select(c => new LogColumn(c, LogColumnType.Number)),
                .. ContextCategorical.Select(c => new LogColumn(c, LogColumnType.Integer)),
                .. ContextDense.Select(c => new LogColumn(c, LogColumnType.Number)),
                .. Embedding.Select(c => new LogColumn(c, LogColumnType.Number)),
                new("history", LogColumnType.List),
                new("split", LogColumnType.Text),
            ];
        }

        public IReadOnlyList<LogColumn> Columns { get; }

        public IReadOnlyList<string> ItemCategorical { get; }

        public IReadOnlyList<string> ItemDense { get; }

        public IReadOnlyList<string> UserCategorical { get; }

        public IReadOnlyList<string> UserDense { get; }

        public IReadOnlyList<string> ContextCategorical { get; }

        public IReadOnlyList<string> ContextDense { get; }

        public IReadOnlyList<string> Priors { get; }

        public IReadOnlyList<string> Embedding { get; }

        /// <summary>The index of the <c>item_id</c> field among the item categorical values (-1 when there is none): the <c>item_id</c> column carries the item's id instead.</summary>
        private int ItemIdField { get; }

        /// <summary>The index of the <c>user_id</c> field among the user categorical values (-1 when there is none): the <c>user_id</c> column carries the request's user id instead.</summary>
        private int UserIdField { get; }

        public IEnumerable<LogCell[]> RequestRows(RerankRequest request, int[] shown, float[] clicks, float[]? conversions, string split, long timestamp)
        {
            var shownAt = LogRows.ShownAt(request.Candidates.Count, shown);

            var history = LogCell.OfList([.. request.History.Select(h => h.Id)]);
            var userCategorical = request.UserCategorical.Where((_, f) => f != UserIdField).Select(v => LogCell.Of((long)v)).ToArray();
            var first = true;
            for (var i = 0; i < request.Candidates.Count; i++)
            {
                var item = request.Candidates[i];
                var t = shownAt[i];
                yield return
                [
                    .. LogRows.Lead(request, timestamp, item, t, clicks),
                    t >= 0 && conversions is not null ? LogCell.Of((long)conversions[t]) : LogCell.Null,
                    LogCell.Of((double)item.Price),
                    .. item.Categorical.Where((_, f) => f != ItemIdField).Select(v => LogCell.Of((long)v)),
                    .. item.Dense.Select(v => LogCell.Of((double)v)),
                    .. item.Priors.Select(v => LogCell.Of((double)v)),
                    .. first ? userCategorical : userCategorical.Select(_ => LogCell.Null),
                    .. request.UserDense.Select(v => first ? LogCell.Of((double)v) : LogCell.Null),
                    .. request.ContextCategorical.Select(v => first ? LogCell.Of((long)v) : LogCell.Null),
                    .. request.ContextDense.Select(v => first ? LogCell.Of((double)v) : LogCell.Null),
                    .. item.Embedding.Select(v => LogCell.Of((double)v)),
                    first ? history : LogCell.Null,
                    LogCell.Of(split),
                ];
                first = false;
            }
        }

        private static int IndexOf(FeatureSchema schema, FeatureSide side, string name) =>
            schema.Select(side, FeatureKind.Categorical).Select(f => f.Name).ToList().IndexOf(name);

        private static List<string> DenseColumns(FeatureSchema schema, FeatureSide side) =>
            [.. schema.Select(side, FeatureKind.Dense).SelectMany(f => f.Size == 1 ? [f.Name] : Enumerable.Range(0, f.Size).Select(k => FormattableString.Invariant($"{f.Name}_{k}")))];
    }
}
