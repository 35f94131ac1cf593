using Rerank.Abstractions;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logging;
using Rerank.Simulation.Logs;
using Rerank.Simulation.Tests.Datasets;
using Rerank.Testing;

namespace Rerank.Simulation.Tests.Logs;

/// <summary>
/// Any dataset written as an impression log (<see cref="DatasetLogs"/>, <c>rerank export-logs</c>) reads back through
/// <c>dataset: {type: logs}</c> as the same lists: MovieLens (a tiny hand-made folder, and MovieLens-100K where present)
/// and the simulator.
/// </summary>
public sealed class DatasetLogsTests
{
    private static readonly MovieLensOptions Tiny = new() { ListSize = 4, RatingsPerList = 2, HistoryLength = 8, ValidationFraction = 0 };

    [Theory]
    [InlineData(LogFormat.Csv)]
    [InlineData(LogFormat.Jsonl)]
    [InlineData(LogFormat.Parquet)]
    public void MovieLens_Exported_ReadsBackAsTheSameListsFeaturesAndTestLabels(LogFormat format)
    {
        using var tiny = new TinyMovieLens();
        using var folder = new TempFolder();
        var original = new MovieLensDatasetType().Load(Tiny, tiny.Folder, 7, null);
        var path = Path.Combine(folder.Path, SimulatedLogs.FileName(format));

        var written = DatasetLogs.Write(original, path, format, rowGroupSize: 5);
        var read = new LogsDatasetType().Load(Options(original.Schema, written), path, 7, null);

        written.ShouldBe(new DatasetLogs.Written(4 * (original.Training.Train.Count + original.Test.Count), original.Training.Train.Count, 0, original.Test.Count));
        read.Training.Train.Select(LogTestFiles.Describe).ShouldBe(original.Training.Train.Select(LogTestFiles.Describe));
        read.Test.Select(r => r.RequestId).ShouldBe(original.Test.Select(r => r.RequestId));
        for (var i = 0; i < original.Test.Count; i++)
        {
            // A test list is "shown" whole, in its order, with its labels as the clicks.
            var impression = read.TestImpressions![i].Logged;
            impression.Exposed.ShouldBe([0, 1, 2, 3]);
            impression.Clicks.ShouldBe(original.TestLabels![i]);
        }

        var pairs = original.Training.Train.Select(l => l.Request).Concat(original.Test)
            .Zip(read.Training.Train.Select(l => l.Request).Concat(read.Test)).ToList();
        foreach (var (before, after) in pairs)
        {
            after.UserId.ShouldBe(before.UserId);
            after.Candidates.Select(c => (c.Dense.Single(), c.Priors[0], c.Priors[1])).ShouldBe(before.Candidates.Select(c => (c.Dense.Single(), c.Priors[0], c.Priors[1])));
            after.Candidates.Select(c => c.Embedding).ShouldBe(before.Candidates.Select(c => c.Embedding));
        }

        // age, gender and occupation are re-coded in order of first appearance: one code per original value.
        for (var field = 1; field < 4; field++)
        {
            pairs.Select(p => (p.First.UserCategorical[field], p.Second.UserCategorical[field])).Distinct()
                .GroupBy(p => p.Item1).ShouldAllBe(g => g.Count() == 1);
        }
    }

    [Fact]
    public void Simulator_ExportedGenerically_ReadsBackAsTheSameLists()
    {
        using var folder = new TempFolder();
        var dataset = LogTestFiles.Dataset;
        var original = new ExperimentData(dataset.Schema, dataset.ToTrainingData(), dataset.Test, [], TestImpressions: SimulatedImpressions.Test(dataset));
        var path = Path.Combine(folder.Path, "impressions.csv");

        var written = DatasetLogs.Write(original, path, LogFormat.Csv);
        var read = new LogsDatasetType().Load(Options(original.Schema, written), path, 7, null);

        read.Training.Train.Select(LogTestFiles.Describe).ShouldBe(original.Training.Train.Select(LogTestFiles.Describe));
        read.Training.Validation.Select(LogTestFiles.Describe).ShouldBe(original.Training.Validation.Select(LogTestFiles.Describe));
        static string Shown(LoggedImpression i) => $"{string.Join(",", i.Logged.Exposed)} / {string.Join(",", i.Logged.Clicks)}";
        read.TestImpressions!.Select(Shown).ShouldBe(original.TestImpressions!.Select(Shown));
        DatasetLogs.ParamsYaml(original.Schema, written).ShouldStartWith("features: {item_categorical: [category], item_dense: [log_price], priors: [ctr, cvr], user_categorical: [user_segment], embedding: [embedding_0, ");
    }

    [Fact]
    public void TestRequestWithoutImpressionOrLabels_IsAnErrorNamingIt()
    {
        using var tiny = new TinyMovieLens();
        using var folder = new TempFolder();
        var data = new MovieLensDatasetType().Load(Tiny, tiny.Folder, 7, null) with { TestLabels = null };

        Should.Throw<InvalidOperationException>(() => DatasetLogs.Write(data, Path.Combine(folder.Path, "x.csv"), LogFormat.Csv))
            .Message.ShouldBe($"test request '{data.Test[0].RequestId}' has neither a logged impression nor labels to write as its clicks");
        File.Exists(Path.Combine(folder.Path, "x.csv")).ShouldBeFalse("nothing is left behind");
    }

    [MovieLensFact]
    public void MovieLens100K_ExportedAsParquet_ReadsBackEveryList()
    {
        using var folder = new TempFolder();
        var original = new MovieLensDatasetType().Load(new MovieLensOptions(), MovieLensFactAttribute.Folder, 20261124, null);
        var path = Path.Combine(folder.Path, "impressions.parquet");

        var written = DatasetLogs.Write(original, path, LogFormat.Parquet);
        var read = new LogsDatasetType().Load(Options(original.Schema, written), path, 20261124, null);

        read.Training.Train.Count.ShouldBe(original.Training.Train.Count);
        read.Training.Validation.Count.ShouldBe(original.Training.Validation.Count);
        read.Test.Count.ShouldBe(943);
        read.Training.Train.Select(LogTestFiles.Describe).ShouldBe(original.Training.Train.Select(LogTestFiles.Describe));
        read.TestImpressions!.Select(i => i.Logged.Clicks.Sum()).ShouldBe(original.TestLabels!.Select(l => l.Sum()));
    }

    /// <summary>The params <see cref="DatasetLogs.ParamsYaml"/> prints, as options.</summary>
    private static LogsOptions Options(FeatureSchema schema, DatasetLogs.Written written)
    {
        string[] Names(FeatureSide side, FeatureKind kind, string skip) =>
            [.. schema.Select(side, kind).Where(f => f.Name != skip).SelectMany(f => kind == FeatureKind.Categorical || f.Size == 1 ? [f.Name] : Enumerable.Range(0, f.Size).Select(k => $"{f.Name}_{k}"))];
        var total = (double)(written.Train + written.Validation + written.Test);
        return new LogsOptions
        {
            Features = new LogFeatureColumns
            {
                ItemCategorical = Names(FeatureSide.Item, FeatureKind.Categorical, "item_id"),
                ItemDense = Names(FeatureSide.Item, FeatureKind.Dense, ""),
                Priors = [.. schema.PriorNames],
                UserCategorical = Names(FeatureSide.User, FeatureKind.Categorical, "user_id"),
                UserDense = Names(FeatureSide.User, FeatureKind.Dense, ""),
                Embedding = [.. Enumerable.Range(0, schema.EmbeddingWidth).Select(SimulatedLogs.EmbeddingColumn)],
            },
            Split = new LogSplitOptions { By = LogSplitBy.Time, Validation = written.Validation / total, Test = written.Test / total },
        };
    }
}
