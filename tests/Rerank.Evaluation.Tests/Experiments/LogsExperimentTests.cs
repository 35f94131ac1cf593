using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Plugins;
using Rerank.Simulation;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>
/// An experiment on <c>dataset: {type: logs}</c>: test requests have no ground truth and no labels, so the simulator-only and
/// label metrics are absent (null) while the list metrics are measured; the dataset's parameters reach results.json.
/// </summary>
public sealed class LogsExperimentTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-logs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_LogsDataset_MeasuresListMetricsAndLeavesTruthMetricsAbsent()
    {
        var options = new SimulatorOptions { Candidates = 6, SlateSize = 3, EmbeddingDim = 4, TrainRequests = 40, ValidationRequests = 10, TestRequests = 10 };
        SimulatedLogs.Write(Simulator.Generate(options, 5), Path.Combine(_folder, "impressions.csv"), LogFormat.Csv);
        var path = Path.Combine(_folder, "e.yaml");
        File.WriteAllText(path, """
            name: logs
            seed: 5
            dataset:
              type: logs
              path: impressions.csv
              params:
                features: { item_categorical: [category], item_dense: [log_price], priors: [ctr, cvr], user_categorical: [segment], embedding: [embedding_0, embedding_1, embedding_2, embedding_3] }
                split: { by: time, validation: 0.2, test: 0.2 }
            evaluation: { hit_rate_lists: 100, latency_requests: 2, warmup_requests: 1, metrics: [ndcg@3] }
            pipelines:
              - name: initial
                stages: [ { generate: { use: baselines/initial } }, { truncate: {} } ]
            """);
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(path, errors);
        errors.ShouldBeEmpty(string.Join("\n", errors));
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));

        var result = new ExperimentRunner(catalog, SilentReporter.Instance).Run(spec!, _folder);

        var row = result.Rows.ShouldHaveSingleItem();
        row.Error.ShouldBeNull();
        row["utility"].ShouldBeNull();
        row["ndcg@3"].ShouldBeNull();
        row["ild"].ShouldNotBeNull();
        result.Dataset.ShouldContain(new KeyValuePair<string, object?>("type", "logs"));
        result.Dataset.ShouldContain(new KeyValuePair<string, object?>("test_requests", 12), "the latest 20 % of 60 requests");
    }
}
