using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;
using Rerank.Testing;

namespace Rerank.Simulation.Tests.Logs;

/// <summary>The example logs under tests/fixtures/logs (written by <c>rerank simulate --format …</c>) read alike in every format.</summary>
public sealed class LogFixtureTests
{
    private static readonly LogsOptions Options = new()
    {
        Features = new LogFeatureColumns
        {
            ItemCategorical = ["category"],
            ItemDense = ["log_price"],
            Priors = ["ctr", "cvr"],
            UserCategorical = ["segment"],
            Embedding = ["embedding_0", "embedding_1", "embedding_2", "embedding_3"],
        },
        Split = new LogSplitOptions { By = LogSplitBy.Time, Validation = 0.2, Test = 0.2 },
    };

    [Theory]
    [InlineData("impressions.csv")]
    [InlineData("impressions.jsonl")]
    [InlineData("impressions.parquet")]
    public void Read_Fixture_HasTheSimulatedSplitsAndPropensities(string file)
    {
        var data = LogsReader.Read(Path.Combine(RepoPaths.Root, "tests", "fixtures", "logs", file), Options, 1);

        data.Rows.ShouldBe(25);
        data.Train.Select(l => l.Request.RequestId).ShouldBe(["train-000000", "train-000001", "train-000002"]);
        data.Validation.ShouldHaveSingleItem().Request.RequestId.ShouldBe("validation-000000");
        var test = data.Test.ShouldHaveSingleItem();
        test.Logged.Request.RequestId.ShouldBe("test-000000");
        test.Logged.Exposed.Length.ShouldBe(3);
        var prefixes = test.Policy.PrefixProbabilities(test.Logged.Exposed)!;
        test.Policy.SlateProbability(test.Logged.Exposed)!.Value.ShouldBe(prefixes[^1], 1e-12);
        data.Train[0].Request.History.Select(h => h.Id).ShouldBe(["item-9", "item-0", "item-9"]);
    }

    [Fact]
    public void Read_Fixtures_AgreeAcrossFormats()
    {
        var lines = new[] { "impressions.csv", "impressions.jsonl", "impressions.parquet" }
            .Select(f => LogsReader.Read(Path.Combine(RepoPaths.Root, "tests", "fixtures", "logs", f), Options, 1))
            .Select(d => string.Join("\n", d.Train.Concat(d.Validation).Concat(d.Test.Select(t => t.Logged)).Select(LogTestFiles.Describe)))
            .ToList();

        lines.Distinct().Count().ShouldBe(1);
    }
}
