using Rerank.Abstractions;
using Rerank.Simulation.Datasets;
using Rerank.Testing;

namespace Rerank.Simulation.Tests.Logs;

public sealed class LogsDatasetTypeTests
{
    [Fact]
    public void Bind_ColumnsFeaturesAndSplit_BindFromParams()
    {
        using var folder = new TempFolder();
        var path = LogTestFiles.Csv(folder, ["r1,a,1,1,x"], "req,item,pos,clicked,cat");
        var spec = new DatasetSpec("logs", Mapping(
            ("columns", Mapping(("request_id", Scalar("req")), ("item_id", Scalar("item")), ("position", Scalar("pos")), ("click", Scalar("clicked")))),
            ("features", Mapping(("item_categorical", new ParamSequence([Scalar("cat")], SourceLocation.None)))),
            ("split", Mapping(("by", Scalar("request")), ("validation", Scalar("0")), ("test", Scalar("0"))))), path, SourceLocation.None);
        var errors = new List<ConfigError>();

        var (type, options) = DatasetTypes.Bind(spec, errors).ShouldNotBeNull();

        errors.ShouldBeEmpty();
        var data = type.Load(options, path, 1, null);
        data.Training.Train.ShouldHaveSingleItem().Request.Candidates.Single().Categorical.ShouldBe([0, 0]);
        data.Parameters.ShouldContain(new KeyValuePair<string, object?>("split_by", "request"));
        data.Parameters.ShouldContain(new KeyValuePair<string, object?>("format", "csv"));
    }

    [Fact]
    public void Bind_NoPathOrSharesSummingToOne_AreErrors()
    {
        var errors = new List<ConfigError>();
        DatasetTypes.Bind(new DatasetSpec("logs", null, null, SourceLocation.None), errors).ShouldBeNull();
        errors.ShouldHaveSingleItem().Message.ShouldContain("'path' must name an impression log file");

        errors.Clear();
        var spec = new DatasetSpec("logs", Mapping(("split", Mapping(("validation", Scalar("0.5")), ("test", Scalar("0.5"))))), "x.csv", SourceLocation.None);
        DatasetTypes.Bind(spec, errors).ShouldBeNull();
        errors.ShouldHaveSingleItem().Message.ShouldContain("split.validation + split.test must be below 1");
    }

    [Fact]
    public void Bind_UnknownExtension_AsksForTheFormat()
    {
        using var folder = new TempFolder();
        var path = folder.Write("log.txt", "request_id\n");
        var errors = new List<ConfigError>();

        DatasetTypes.Bind(new DatasetSpec("logs", null, path, SourceLocation.None), errors).ShouldBeNull();

        errors.ShouldHaveSingleItem().Message.ShouldContain("set params.format");
    }

    [Fact]
    public void Load_Export_TestRequestsHaveNoGroundTruthAndCarryTheirImpressions()
    {
        using var folder = new TempFolder();
        var path = LogTestFiles.Export(folder, Simulation.Datasets.LogFormat.Csv);

        var data = new LogsDatasetType().Load(LogTestFiles.ExportOptions(), path, 3, null);

        data.Test.Count.ShouldBe(10);
        data.Test.ShouldAllBe(r => r.GroundTruth == null);
        data.TestImpressions!.Select(i => i.Logged.Request).ShouldBe(data.Test);
        data.TestLabels.ShouldBeNull();
        data.Training.Train.Count.ShouldBe(60);
        data.Training.Validation.Count.ShouldBe(10);
        data.Test.SelectMany(r => RequestValidator.Validate(r, data.Schema)).ShouldBeEmpty();
        data.Training.Train.SelectMany(l => RequestValidator.Validate(l.Request, data.Schema)).ShouldBeEmpty();
    }

    [Fact]
    public void LogTest_SameDataset_SameLogsAndTheDatasetUnchanged()
    {
        var dataset = LogTestFiles.Dataset;
        var train = dataset.Train.Select(LogTestFiles.Describe).ToList();

        var first = Simulator.LogTest(dataset).Select(LogTestFiles.Describe).ToList();

        Simulator.LogTest(dataset).Select(LogTestFiles.Describe).ShouldBe(first);
        Simulator.Generate(dataset.Options, dataset.Seed).Train.Select(LogTestFiles.Describe).ShouldBe(train);
        first.Count.ShouldBe(dataset.Test.Count);
    }

    private static ParamScalar Scalar(string value) => new(value, SourceLocation.None);

    private static ParamMapping Mapping(params (string Key, ParamNode Value)[] entries) =>
        new([.. entries.Select(e => new ParamEntry(e.Key, SourceLocation.None, e.Value))], SourceLocation.None);
}
