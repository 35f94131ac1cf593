using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>
/// <c>evaluation.off_policy</c> end to end: on the simulator the estimates sit beside the exact value and the unbiased
/// estimators' intervals hold it; on a log file the estimators it cannot support are skipped with a note (or, listed,
/// stop the run naming the missing column); results.json carries the estimates and reads back.
/// </summary>
public sealed class OffPolicyExperimentTests : IDisposable
{
    private const string Pipelines = """
        pipelines:
          - name: initial
            stages: [ { generate: { use: baselines/initial } }, { truncate: {} } ]
          - name: random
            stages: [ { generate: { use: baselines/random } } ]
        """;

    private static readonly Lazy<ExperimentResult> Simulated = new(RunSimulated);
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-ope-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_Simulator_IpsAndRipsIntervalsHoldTheExactValue()
    {
        var result = Simulated.Value;

        result.Rows.Count.ShouldBe(2);
        foreach (var row in result.Rows)
        {
            row.Error.ShouldBeNull();
            foreach (var estimator in new[] { "IPS", "RIPS" })
            {
                var cell = row.OffPolicy.ShouldNotBeNull().Single(c => c.Estimator == estimator);
                var truth = cell.Truth.ShouldNotBeNull();
                truth.ShouldBe(row["click"]!.Value, 1e-12, "the truth of the click reward is the expected clicks per list");
                cell.Low.ShouldBeLessThanOrEqualTo(truth, $"{row.Pipeline} {estimator}");
                cell.High.ShouldBeGreaterThanOrEqualTo(truth, $"{row.Pipeline} {estimator}");
                cell.Requests.ShouldBe(3000);
            }
        }
    }

    [Fact]
    public void Run_SimulatorDefaultEstimators_AllButCdrWithANote()
    {
        var result = Simulated.Value;

        result.Rows[0].OffPolicy!.Select(c => c.Estimator).ShouldBe(["IPS", "SNIPS", "IIPS", "SN-IIPS", "RIPS", "SN-RIPS", "PI", "SN-PI"]);
        result.OffPolicy.ShouldNotBeNull().Notes.ShouldBe(["CDR skipped: it needs a reward model (evaluation.off_policy.reward_model)"]);
        result.OffPolicy.Level.ShouldBe(0.99);
    }

    [Fact]
    public void Json_SimulatedRun_OffPolicyReadsBackAsWritten()
    {
        var result = Simulated.Value;

        using var doc = JsonDocument.Parse(ResultWriters.Json(result));
        var settings = OffPolicyJson.ReadSettings(doc.RootElement).ShouldNotBeNull();
        settings.ShouldBe(result.OffPolicy! with { Notes = settings.Notes });
        settings.Notes.ShouldBe(result.OffPolicy!.Notes);
        var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToList();
        for (var r = 0; r < rows.Count; r++)
        {
            var read = OffPolicyJson.ReadCells(rows[r], settings).ShouldNotBeNull();
            var written = result.Rows[r].OffPolicy!;
            read.Select(c => c.Estimator).ShouldBe(written.Select(c => c.Estimator));
            for (var c = 0; c < read.Count; c++)
            {
                read[c].Runs.Single().ShouldBe(written[c].Runs.Single());
            }

            rows[r].GetProperty("metrics").TryGetProperty("off_policy", out _).ShouldBeFalse("metrics keep their shape");
        }
    }

    [Fact]
    public void Run_LogFile_EstimatesWhatTheLogSupportsAndSkipsTheRestWithNotes()
    {
        var result = RunLogs("");

        var row = result.Rows.ShouldHaveSingleItem();
        row.Error.ShouldBeNull();
        var cells = row.OffPolicy.ShouldNotBeNull();
        cells.Select(c => c.Estimator).ShouldBe(["IPS", "SNIPS", "RIPS", "SN-RIPS"]);
        cells.ShouldAllBe(c => c.Truth == null && c.Requests == 1);
        result.OffPolicy!.Notes.ShouldBe(
        [
            "IIPS skipped: the log has no position marginals (a 'marginal_propensity' column)",
            "SN-IIPS skipped: the log has no position marginals (a 'marginal_propensity' column)",
            "PI skipped: the log has no pairwise (position, item) marginals Γ, which a log does not record",
            "SN-PI skipped: the log has no pairwise (position, item) marginals Γ, which a log does not record",
            "CDR skipped: it needs a reward model (evaluation.off_policy.reward_model)",
        ]);
        ResultWriters.Markdown(result).ShouldContain("- PI skipped: the log has no pairwise (position, item) marginals Γ, which a log does not record");
    }

    [Fact]
    public void Run_LogFileWithRewardModel_ReportsCdrBesideRips()
    {
        var result = RunLogs("estimators: [rips, cdr], reward_model: DNN", "evaluators:\n  - { name: DNN, use: degre/dnn, params: { epochs: 1 } }\n");

        var row = result.Rows.First(r => r.Pipeline == "initial");
        row.Error.ShouldBeNull();
        var cells = row.OffPolicy.ShouldNotBeNull();
        cells.Select(c => c.Estimator).ShouldBe(["RIPS", "CDR"]);
        double.IsFinite(cells[1].Value).ShouldBeTrue();
        result.OffPolicy!.Notes.ShouldBeEmpty();
    }

    [Fact]
    public void Run_LogFileWithIipsListed_FailsNamingTheEstimatorAndTheColumn()
    {
        var failure = Should.Throw<ExperimentFailedException>(() => RunLogs("estimators: [ips, iips]"));

        failure.Message.ShouldBe("evaluation.off_policy: estimator iips needs position marginals (a 'marginal_propensity' column), which the test log does not have");
    }

    private static ExperimentResult RunSimulated()
    {
        var folder = Directory.CreateTempSubdirectory("rerank-ope-sim-").FullName;
        try
        {
            var yaml = """
                name: ope
                seed: 20261203
                dataset:
                  type: simulator
                  params: { candidates: 4, slate_size: 2, train_requests: 20, validation_requests: 10, test_requests: 3000 }
                evaluation:
                  hit_rate_lists: 100
                  latency_requests: 0
                  warmup_requests: 0
                  metrics: [outcomes]
                  off_policy: { level: 0.99, bootstrap: 1000 }

                """ + Pipelines;
            return Run(folder, yaml);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private ExperimentResult RunLogs(string offPolicy, string evaluators = "")
    {
        File.Copy(Path.Combine(RepoPaths.Root, "tests", "fixtures", "logs", "impressions.csv"), Path.Combine(_folder, "impressions.csv"));
        var yaml = $$"""
            name: ope-logs
            seed: 7
            dataset:
              type: logs
              path: impressions.csv
              params:
                features: { item_categorical: [category], item_dense: [log_price], priors: [ctr, cvr], user_categorical: [segment], embedding: [embedding_0, embedding_1, embedding_2, embedding_3] }
                split: { by: time, validation: 0.2, test: 0.2 }
            evaluation:
              hit_rate_lists: 100
              latency_requests: 0
              warmup_requests: 0
              off_policy: { {{offPolicy}} }
            {{evaluators}}pipelines:
              - name: initial
                stages: [ { generate: { use: baselines/initial } }, { truncate: {} } ]
            """;
        return Run(_folder, yaml);
    }

    private static ExperimentResult Run(string folder, string yaml)
    {
        var path = Path.Combine(folder, "e.yaml");
        File.WriteAllText(path, yaml);
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(path, errors);
        errors.ShouldBeEmpty(string.Join("\n", errors));
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));
        return new ExperimentRunner(catalog, SilentReporter.Instance).Run(spec!, folder);
    }
}
