using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;
using Rerank.Testing;

namespace Rerank.Simulation.Tests.Logs;

public sealed class LogsReaderTests
{
    [Fact]
    public void Read_ThreeFormatsOfOneExport_AgreeOnRequestsSlatesClicksAndPropensities()
    {
        using var folder = new TempFolder();
        var options = LogTestFiles.ExportOptions();
        var read = new[] { LogFormat.Parquet, LogFormat.Jsonl, LogFormat.Csv }
            .Select(f => LogsReader.Read(LogTestFiles.Export(folder, f), options, 3)).ToList();

        read.Select(d => d.Format).ShouldBe([LogFormat.Parquet, LogFormat.Jsonl, LogFormat.Csv]);
        foreach (var other in read.Skip(1))
        {
            other.Schema.Differences(read[0].Schema).ShouldBeEmpty();
            other.Rows.ShouldBe(read[0].Rows);
            Lines(other).ShouldBe(Lines(read[0]));
        }
    }

    [Fact]
    public void Read_SimulatedExport_KeepsTheLoggedSlatesClicksAndTruePropensities()
    {
        using var folder = new TempFolder();
        var dataset = LogTestFiles.Dataset;
        var data = LogsReader.Read(LogTestFiles.Export(folder, LogFormat.Parquet), LogTestFiles.ExportOptions(), 3);

        // Timestamps follow train, validation, test, so a time split with the same shares recovers the three splits.
        data.Train.Select(LogTestFiles.Describe).ShouldBe(dataset.Train.Select(LogTestFiles.Describe));
        data.Validation.Select(LogTestFiles.Describe).ShouldBe(dataset.Validation.Select(LogTestFiles.Describe));
        var test = Simulator.LogTest(dataset);
        data.Test.Select(t => LogTestFiles.Describe(t.Logged)).ShouldBe(test.Select(LogTestFiles.Describe));
        for (var r = 0; r < test.Count; r++)
        {
            var expected = SimulatedLogs.ConditionalPropensities(test[r].Request, test[r].Exposed, dataset.Options.LoggingTemperature);
            var policy = data.Test[r].Policy;
            policy.PrefixProbabilities(test[r].Exposed)!.Last().ShouldBe(expected.Aggregate(1.0, (a, p) => a * p), 1e-12);
            policy.SlateProbability(test[r].Exposed)!.Value.ShouldBe(expected.Aggregate(1.0, (a, p) => a * p), 1e-12);
            data.Test[r].Timestamp.ShouldBe(dataset.Train.Count + dataset.Validation.Count + r);
            data.Test[r].Logged.Request.GroundTruth.ShouldBeNull();
        }

        var candidate = data.Train[0].Request.Candidates[0];
        var original = dataset.Train[0].Request.Candidates[0];
        candidate.Priors.ShouldBe(original.Priors);
        candidate.Dense.ShouldBe(original.Dense);
        candidate.Price.ShouldBe(original.Price);
        candidate.Embedding.ShouldBe(original.Embedding);
    }

    [Fact]
    public void Read_OneItemInManyRequests_SharesItsIdAndFeatureArrays()
    {
        using var folder = new TempFolder();
        var data = LogsReader.Read(LogTestFiles.Export(folder, LogFormat.Parquet), LogTestFiles.ExportOptions(), 3);

        var repeated = data.Train.Concat(data.Validation).Concat(data.Test.Select(t => t.Logged))
            .SelectMany(l => l.Request.Candidates).GroupBy(c => c.Id).Where(g => g.Count() > 1).ToList();
        repeated.ShouldNotBeEmpty();
        foreach (var item in repeated)
        {
            var first = item.First();
            item.ShouldAllBe(c => ReferenceEquals(c.Id, first.Id) && ReferenceEquals(c.Categorical, first.Categorical)
                && ReferenceEquals(c.Dense, first.Dense) && ReferenceEquals(c.Embedding, first.Embedding));
        }
    }

    [Fact]
    public void Read_OneItemWithOtherFeaturesInALaterRequest_KeepsEachRowsOwnValues()
    {
        using var folder = new TempFolder();
        var rows = (string[])LogTestFiles.ValidRows.Clone();
        rows[5] = "r3,300,u1,a,1,1,0.4,0.4,0.35,z";
        var data = LogsReader.Read(LogTestFiles.Csv(folder, rows), LogTestFiles.CsvOptions(test: 0), 1);

        var a1 = data.Train[0].Request.Candidates[0];
        var a3 = data.Train[2].Request.Candidates[0];
        a3.Id.ShouldBe("a");
        a1.Categorical[1].ShouldNotBe(a3.Categorical[1]);
        a1.Priors.ShouldBe([0.3f]);
        a3.Priors.ShouldBe([0.35f]);
        ReferenceEquals(a1.Id, a3.Id).ShouldBeTrue();
    }

    [Fact]
    public void ConditionalPropensities_PlackettLuce_MatchHandComputedValues()
    {
        // ctr 0.5, 0.25, 0.25 at T = 1: first 0.5 / 1; then 0.25 / 0.5 = 0.5.
        var request = new Rerank.Abstractions.RerankRequest
        {
            RequestId = "r",
            Candidates = [.. new[] { 0.5f, 0.25f, 0.25f }.Select((c, i) => new Rerank.Abstractions.Item { Id = $"i{i}", Priors = [c, 0f] })],
            SlateSize = 2,
        };

        SimulatedLogs.ConditionalPropensities(request, [0, 2], 1.0).ShouldBe([0.5, 0.5], 1e-12);
        // T = 0.5 squares the weights: 0.25 / (0.25 + 0.0625 + 0.0625) = 2/3, then 0.0625 / 0.125 = 1/2.
        SimulatedLogs.ConditionalPropensities(request, [0, 2], 0.5).ShouldBe([2.0 / 3, 0.5], 1e-12);
    }

    [Fact]
    public void Read_HandWrittenCsv_BuildsCandidatesInRowOrderAndTheSlateByPosition()
    {
        using var folder = new TempFolder();
        var data = LogsReader.Read(LogTestFiles.Csv(folder, LogTestFiles.ValidRows), LogTestFiles.CsvOptions(), 1);

        data.Train.Count.ShouldBe(2);
        var r1 = data.Train[0];
        r1.Request.Candidates.Select(c => c.Id).ShouldBe(["a", "b", "c"]);
        r1.Exposed.ShouldBe([1, 0]);
        r1.Clicks.ShouldBe([1f, 0f]);
        r1.Request.SlateSize.ShouldBe(2);
        r1.Request.UserId.ShouldBe("u1");

        // item_id, category, then user_id; categorical values get ids in order of first appearance.
        data.Schema.Fields.Select(f => $"{f.Name}:{f.Side}/{f.Kind}/{f.Size}").ShouldBe(["item_id:Item/Categorical/4", "category:Item/Categorical/3", "user_id:User/Categorical/2"]);
        r1.Request.Candidates.Select(c => c.Categorical[1]).ShouldBe([0, 1, 0]);
        r1.Request.Candidates.Select(c => c.Priors[0]).ShouldBe([0.3f, 0.6f, 0.1f]);

        var test = data.Test.ShouldHaveSingleItem();
        test.Logged.Request.RequestId.ShouldBe("r3");
        test.Timestamp.ShouldBe(300);
        test.Policy.SlateProbability([0])!.Value.ShouldBe(0.4, 1e-12);
        data.Rows.ShouldBe(6);
        data.Items.ShouldBe(4);
    }

    [Fact]
    public void Read_HistoryOfItemsNeverCandidates_GetsTheExtraUnknownId()
    {
        using var folder = new TempFolder();
        var path = LogTestFiles.Csv(folder, ["r1,a,1,1,x,b|zz", "r1,b,2,0,y,"], header: "request_id,item_id,position,click,category,history");
        var options = new LogsOptions { Features = new LogFeatureColumns { ItemCategorical = ["category"] }, Split = new LogSplitOptions { By = LogSplitBy.Request, Test = 0, Validation = 0 } };

        var logged = LogsReader.Read(path, options, 1).Train.ShouldHaveSingleItem();

        logged.Request.History.Select(h => h.Id).ShouldBe(["b", "zz"]);
        logged.Request.History[0].Categorical.ShouldBe([1, 1]);
        logged.Request.History[1].Categorical.ShouldBe([2, 2]);
    }

    private static List<string> Lines(LogsData data) =>
    [
        .. data.Train.Select(LogTestFiles.Describe),
        .. data.Validation.Select(l => "v " + LogTestFiles.Describe(l)),
        .. data.Test.Select(t => $"t {LogTestFiles.Describe(t.Logged)} p [{string.Join(",", t.Policy.PrefixProbabilities(t.Logged.Exposed)!)}] s {t.Policy.SlateProbability(t.Logged.Exposed)} ts {t.Timestamp} gmv [{string.Join(",", t.Gmv!)}]"),
        .. data.Train.Take(3).SelectMany(l => l.Request.Candidates.Select(c => $"{c.Id} {string.Join(",", c.Categorical)} {string.Join(",", c.Dense)} {string.Join(",", c.Priors)}")),
    ];
}
