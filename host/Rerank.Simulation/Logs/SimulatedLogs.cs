using Rerank.Abstractions;
using Rerank.Simulation.Datasets;

namespace Rerank.Simulation.Logs;

/// <summary>
/// Exports a simulated dataset as an impression log in the long format (docs/logs.md): the train and validation logs and
/// the test requests logged by the same policy (<see cref="Simulator.LogTest"/>), with the logging policy's true
/// per-position conditional propensities and slate propensity, the items' observable features and embedding, so
/// <c>dataset: {type: logs}</c> can read it back.
/// </summary>
public static class SimulatedLogs
{
    /// <summary>The file name the export writes in a folder, e.g. <c>impressions.parquet</c>.</summary>
    public static string FileName(LogFormat format) => format switch
    {
        LogFormat.Parquet => "impressions.parquet",
        LogFormat.Jsonl => "impressions.jsonl",
        LogFormat.Csv => "impressions.csv",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "name a format"),
    };

    /// <summary>
    /// Writes <paramref name="dataset"/> to <paramref name="path"/> in <paramref name="format"/>: requests in train,
    /// validation, test order, with timestamp = the request's index in that order (so <c>split: {by: time}</c> with the same
    /// shares recovers the splits) and a <c>split</c> column naming each request's split.
    /// </summary>
    public static void Write(SimulatedDataset dataset, string path, LogFormat format, int rowGroupSize = LogWriter.DefaultRowGroupSize)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var test = Simulator.LogTest(dataset);
        var temperature = dataset.Options.LoggingTemperature;
        IEnumerable<LogCell[]> Rows()
        {
            var timestamp = 0L;
            foreach (var (split, lists) in new[] { (Simulator.TrainSplit, dataset.Train), (Simulator.ValidationSplit, dataset.Validation), (Simulator.TestSplit, test) })
            {
                foreach (var logged in lists)
                {
                    foreach (var row in RequestRows(logged, split, timestamp++, temperature))
                    {
                        yield return row;
                    }
                }
            }
        }

        LogWriter.Write(path, format, Columns(dataset.Schema.EmbeddingWidth), Rows(), rowGroupSize);
    }

    /// <summary>
    /// The <c>params:</c> that read an export back (column names are the long format's own, so no <c>columns:</c>), with
    /// the logging policy declared (Plackett–Luce over log ctr at the logging temperature), so every estimator applies.
    /// </summary>
    public static string ParamsYaml(SimulatedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var total = Math.Max(1, dataset.Train.Count + dataset.Validation.Count + dataset.Test.Count);
        var validation = (double)dataset.Validation.Count / total;
        var test = (double)dataset.Test.Count / total;
        var embedding = string.Join(", ", Enumerable.Range(0, dataset.Schema.EmbeddingWidth).Select(EmbeddingColumn));
        return $"features: {{item_categorical: [category], item_dense: [log_price], priors: [ctr, cvr], user_categorical: [segment], embedding: [{embedding}]}}\n"
            + FormattableString.Invariant($"split: {{by: time, validation: {validation:0.######}, test: {test:0.######}}}\n")
            + FormattableString.Invariant($"logging_policy: {{type: plackett_luce, log_prior: ctr, temperature: {dataset.Options.LoggingTemperature:R}}}\n");
    }

    /// <summary>The column of embedding dimension <paramref name="d"/>, e.g. <c>embedding_0</c>.</summary>
    public static string EmbeddingColumn(int d) => FormattableString.Invariant($"embedding_{d}");

    /// <summary>The export's columns, with <paramref name="embeddingWidth"/> embedding columns before <c>history</c>.</summary>
    internal static IReadOnlyList<LogColumn> Columns(int embeddingWidth) =>
    [
        .. LogRows.LeadColumns,
        new("conversion", LogColumnType.Integer),
        new("gmv", LogColumnType.Number),
        new("price", LogColumnType.Number),
        new("propensity", LogColumnType.Number),
        new("slate_propensity", LogColumnType.Number),
        new("ctr", LogColumnType.Number),
        new("cvr", LogColumnType.Number),
        new("category", LogColumnType.Integer),
        new("log_price", LogColumnType.Number),
        new("segment", LogColumnType.Integer),
        .. Enumerable.Range(0, embeddingWidth).Select(d => new LogColumn(EmbeddingColumn(d), LogColumnType.Number)),
        new("history", LogColumnType.List),
        new("split", LogColumnType.Text),
    ];

    /// <summary>
    /// The probability, at each shown position, of its item given the items before it under Plackett–Luce with weights
    /// ctr^(1/T): exp(s_e) / Σ over the candidates not yet shown of exp(s_j), s = log ctr / T.
    /// </summary>
    internal static double[] ConditionalPropensities(RerankRequest request, int[] shown, double temperature)
    {
        var scores = request.Candidates.Select(c => Math.Log(c.Priors[0]) / temperature).ToArray();
        var taken = new bool[scores.Length];
        var result = new double[shown.Length];
        for (var t = 0; t < shown.Length; t++)
        {
            var max = double.NegativeInfinity;
            for (var j = 0; j < scores.Length; j++)
            {
                if (!taken[j])
                {
                    max = Math.Max(max, scores[j]);
                }
            }

            var sum = 0.0;
            for (var j = 0; j < scores.Length; j++)
            {
                if (!taken[j])
                {
                    sum += Math.Exp(scores[j] - max);
                }
            }

            result[t] = Math.Exp(scores[shown[t]] - max) / sum;
            taken[shown[t]] = true;
        }

        return result;
    }

    private static IEnumerable<LogCell[]> RequestRows(LoggedList logged, string split, long timestamp, double temperature)
    {
        var request = logged.Request;
        var propensities = ConditionalPropensities(request, logged.Exposed, temperature);
        var slate = propensities.Aggregate(1.0, (a, p) => a * p);
        var shownAt = LogRows.ShownAt(request.Candidates.Count, logged.Exposed);

        var history = LogCell.OfList([.. request.History.Select(h => h.Id)]);
        for (var i = 0; i < request.Candidates.Count; i++)
        {
            var item = request.Candidates[i];
            var t = shownAt[i];
            var shown = t >= 0;
            yield return
            [
                .. LogRows.Lead(request, timestamp, item, t, logged.Clicks),
                shown ? LogCell.Of((long)logged.Conversions[t]) : LogCell.Null,
                shown ? LogCell.Of(logged.Conversions[t] * (double)item.Price) : LogCell.Null,
                LogCell.Of((double)item.Price),
                shown ? LogCell.Of(propensities[t]) : LogCell.Null,
                LogCell.Of(slate),
                LogCell.Of((double)item.Priors[0]),
                LogCell.Of((double)item.Priors[1]),
                LogCell.Of((long)item.Categorical[1]),
                LogCell.Of((double)item.Dense[0]),
                LogCell.Of((long)request.UserCategorical[1]),
                .. item.Embedding.Select(e => LogCell.Of((double)e)),
                i == 0 ? history : LogCell.Null,
                LogCell.Of(split),
            ];
        }
    }
}
