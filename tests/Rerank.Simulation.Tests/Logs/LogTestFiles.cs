using Rerank.Abstractions;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;
using Rerank.Testing;

namespace Rerank.Simulation.Tests.Logs;

/// <summary>Small logs for the tests: a simulated dataset exported in every format, and hand-written CSV files.</summary>
internal static class LogTestFiles
{
    private static readonly Lazy<SimulatedDataset> SmallDataset = new(() => Simulator.Generate(Options(), 5));

    /// <summary>A small simulated dataset: 60 train, 10 validation, 10 test requests of 8 candidates and slates of 4.</summary>
    public static SimulatedDataset Dataset => SmallDataset.Value;

    /// <summary>The params that read an export of <see cref="Dataset"/>.</summary>
    public static LogsOptions ExportOptions(LogSplitBy by = LogSplitBy.Time) => new()
    {
        Features = new LogFeatureColumns
        {
            ItemCategorical = ["category"],
            ItemDense = ["log_price"],
            Priors = ["ctr", "cvr"],
            UserCategorical = ["segment"],
            Embedding = [.. Enumerable.Range(0, Dataset.Schema.EmbeddingWidth).Select(SimulatedLogs.EmbeddingColumn)],
        },
        Split = new LogSplitOptions { By = by, Validation = 0.125, Test = 0.125 },
    };

    /// <summary>The long format's header of hand-written CSV logs.</summary>
    public const string Header = "request_id,timestamp,user_id,item_id,position,click,propensity,slate_propensity,ctr,category";

    /// <summary>A valid three-request CSV log in <see cref="Header"/>'s columns (request r1 shows b then a; r2 shows c; r3 shows a).</summary>
    public static readonly string[] ValidRows =
    [
        "r1,100,u1,a,2,0,0.5,0.25,0.3,x",
        "r1,100,u1,b,1,1,0.5,0.25,0.6,y",
        "r1,100,u1,c,,,,0.25,0.1,x",
        "r2,200,u2,c,1,0,1,1,0.1,x",
        "r2,200,u2,d,,,,1,0.2,z",
        "r3,300,u1,a,1,1,0.4,0.4,0.3,x",
    ];

    /// <summary>Params for <see cref="Header"/>'s CSV logs.</summary>
    public static LogsOptions CsvOptions(LogSplitBy by = LogSplitBy.Time, double validation = 0, double test = 0.34) => new()
    {
        Features = new LogFeatureColumns { ItemCategorical = ["category"], Priors = ["ctr"] },
        Split = new LogSplitOptions { By = by, Validation = validation, Test = test },
    };

    /// <summary>Writes a CSV log of <paramref name="rows"/> under <paramref name="header"/> into <paramref name="folder"/>.</summary>
    public static string Csv(TempFolder folder, IEnumerable<string> rows, string header = Header, string name = "log.csv") =>
        folder.Write(name, header + "\n" + string.Join("\n", rows) + "\n");

    /// <summary>Exports <see cref="Dataset"/> in <paramref name="format"/> (Parquet in row groups of 37 rows, so several) and returns the file.</summary>
    public static string Export(TempFolder folder, LogFormat format)
    {
        var path = Path.Combine(folder.Path, SimulatedLogs.FileName(format));
        SimulatedLogs.Write(Dataset, path, format, rowGroupSize: 37);
        return path;
    }

    /// <summary>One line per logged list: request id, candidate ids, shown indices, clicks and conversions.</summary>
    public static string Describe(LoggedList logged) =>
        $"{logged.Request.RequestId} [{string.Join(",", logged.Request.Candidates.Select(c => c.Id))}] shown [{string.Join(",", logged.Exposed)}] "
        + $"clicks [{string.Join(",", logged.Clicks)}] conversions [{string.Join(",", logged.Conversions)}] history [{string.Join(",", logged.Request.History.Select(h => h.Id))}]";

    private static SimulatorOptions Options() => new()
    {
        Items = 120,
        Users = 20,
        Categories = 6,
        StreamLength = 40,
        HistoryLength = 6,
        IntentWindow = 5,
        Candidates = 8,
        SlateSize = 4,
        TrainRequests = 60,
        ValidationRequests = 10,
        TestRequests = 10,
    };
}
