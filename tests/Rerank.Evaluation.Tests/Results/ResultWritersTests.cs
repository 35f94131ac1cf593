using System.Text.Json;
using Rerank.Evaluation.Metrics;
using Rerank.Evaluation.Results;

namespace Rerank.Evaluation.Tests.Results;

/// <summary>
/// A failed pipeline is a row with status <c>failed</c> and its error in every results file; the finished rows stay.
/// Several seeds add the std of each metric; <c>compare_to</c> adds each row's difference with its interval.
/// </summary>
public sealed class ResultWritersTests : IDisposable
{
    private const string Error = "pipeline 'broken', stage 1 (generate: generator=failing@1.0.0/boom): InvalidOperationException: boom, \"quoted\"";
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-results-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ExperimentResult Partial() => new(
        "e",
        [new("type", "simulator")],
        [new ResultRow("first", [new("utility", 1.5), new("ild", 0.5)]), ResultRow.Failed("broken", Error), new ResultRow("last", [new("utility", 2.0), new("ild", null)])],
        new Dictionary<string, string>(),
        new Dictionary<string, double[]>(),
        new Dictionary<string, IReadOnlyList<KeyValuePair<string, double>>>(),
        []);

    [Fact]
    public void Json_FailedRow_StatusAndErrorAddedMetricsEmpty()
    {
        using var json = JsonDocument.Parse(ResultWriters.Json(Partial()));
        var rows = json.RootElement.GetProperty("rows");

        rows[0].EnumerateObject().Select(p => p.Name).ShouldBe(["pipeline", "status", "metrics"]);
        rows[0].GetProperty("status").GetString().ShouldBe("ok");
        rows[0].GetProperty("metrics").GetProperty("utility").GetDouble().ShouldBe(1.5);
        rows[1].EnumerateObject().Select(p => p.Name).ShouldBe(["pipeline", "status", "error", "metrics"]);
        rows[1].GetProperty("status").GetString().ShouldBe("failed");
        rows[1].GetProperty("error").GetString().ShouldBe(Error);
        rows[1].GetProperty("metrics").EnumerateObject().ShouldBeEmpty();
        rows[2].GetProperty("metrics").GetProperty("utility").GetDouble().ShouldBe(2.0);
    }

    [Fact]
    public void Csv_StatusAndErrorColumnsLast_ErrorQuoted()
    {
        var lines = ResultWriters.Csv(Partial()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.ShouldBe(
        [
            "pipeline,utility,ild,status,error",
            "first,1.5,0.5,ok,",
            "broken,,,failed,\"" + Error.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
            "last,2,,ok,",
        ]);
    }

    [Fact]
    public void Markdown_AFailedRow_StatusColumnAndAFailedSection()
    {
        var md = ResultWriters.Markdown(Partial());

        md.ShouldContain("| pipeline | utility | ild | status |\n|---|---:|---:|---|\n| first | 1.5000 | 0.5000 | ok |\n| broken | – | – | failed |\n| last | 2.0000 | – | ok |\n");
        md.ShouldContain("## Failed\n\n- **broken**: " + Error + "\n");
    }

    [Fact]
    public void Markdown_NothingFailed_NoStatusColumn()
    {
        var clean = Partial() with { Rows = [new ResultRow("first", [new("utility", 1.5)])] };

        ResultWriters.Markdown(clean).ShouldContain("| pipeline | utility |\n|---|---:|\n| first | 1.5000 |\n");
    }

    [Fact]
    public void WriteAll_PartialResult_EveryFileWrittenWithTheFailure()
    {
        var files = ResultWriters.WriteAll(Partial(), _folder);

        files.Select(Path.GetFileName).ShouldBe(["results.json", "results.csv", "results.md", "run.json", "report.html"]);
        foreach (var file in files.Where(f => !f.EndsWith("run.json", StringComparison.Ordinal)))
        {
            File.ReadAllText(file).ShouldContain("failed", Case.Sensitive, Path.GetFileName(file));
        }

        File.ReadAllText(Path.Combine(_folder, "report.html")).ShouldContain("InvalidOperationException: boom, &quot;quoted&quot;");
    }

    private static ExperimentResult Seeded() => Partial() with
    {
        Dataset = [new("type", "simulator"), new("seeds", new ulong[] { 1, 2 })],
        Rows =
        [
            new ResultRow("first", [new("utility", 1.5), new("ild", 0.5)], Std: [new("utility", 0.25), new("ild", null)]),
            new ResultRow("last", [new("utility", 2.0), new("ild", 0.25)], Std: [new("utility", 0.5), new("ild", 0.125)],
                Differences: [new MetricDifference("first", "utility", new BootstrapInterval(0.5, 0.25, 0.75, 40)), new MetricDifference("first", "ild", new BootstrapInterval(-0.25, -0.5, 0.0625, 40))]),
        ],
        Seeds = [1, 2],
        Comparison = new Comparison(["first"], 1000, 0.95),
    };

    /// <summary><see cref="Seeded"/> compared with two references: first and last each differ from the other, mid from both.</summary>
    private static ExperimentResult TwoReferences() => Seeded() with
    {
        Rows =
        [
            new ResultRow("first", [new("utility", 1.5)], Differences: [Difference("last", "utility", -0.5, -0.75, -0.25)]),
            new ResultRow("mid", [new("utility", 1.75)], Differences: [Difference("first", "utility", 0.25, -0.125, 0.5), Difference("last", "utility", -0.25, -0.5, -0.125)]),
            new ResultRow("last", [new("utility", 2.0)], Differences: [Difference("first", "utility", 0.5, 0.25, 0.75)]),
        ],
        Comparison = new Comparison(["first", "last"], 1000, 0.95),
    };

    private static MetricDifference Difference(string reference, string metric, double mean, double low, double high) =>
        new(reference, metric, new BootstrapInterval(mean, low, high, 40));

    [Fact]
    public void Json_OneReference_TheShapeOfBefore()
    {
        using var json = JsonDocument.Parse(ResultWriters.Json(Seeded()));

        json.RootElement.GetProperty("compare_to").EnumerateObject().Select(p => p.Name).ShouldBe(["pipeline", "level", "bootstrap_samples", "interval"]);
        json.RootElement.GetProperty("rows").EnumerateArray().Where(r => r.TryGetProperty("differences", out _)).ShouldBeEmpty();
    }

    [Fact]
    public void Json_TwoReferences_PipelinesAndDifferencesByReference()
    {
        using var json = JsonDocument.Parse(ResultWriters.Json(TwoReferences()));
        var root = json.RootElement;

        root.GetProperty("compare_to").EnumerateObject().Select(p => p.Name).ShouldBe(["pipelines", "level", "bootstrap_samples", "interval"]);
        root.GetProperty("compare_to").GetProperty("pipelines").EnumerateArray().Select(e => e.GetString()).ShouldBe(["first", "last"]);
        var rows = root.GetProperty("rows");
        rows.EnumerateArray().Where(r => r.TryGetProperty("difference", out _)).ShouldBeEmpty();
        rows[0].GetProperty("differences").EnumerateObject().Select(p => p.Name).ShouldBe(["last"]);
        rows[1].GetProperty("differences").EnumerateObject().Select(p => p.Name).ShouldBe(["first", "last"]);
        var mid = rows[1].GetProperty("differences").GetProperty("last").GetProperty("utility");
        mid.EnumerateObject().Select(p => p.Name).ShouldBe(["mean", "low", "high", "requests", "includes_zero"]);
        mid.GetProperty("mean").GetDouble().ShouldBe(-0.25);
        mid.GetProperty("includes_zero").GetBoolean().ShouldBeFalse();
        rows[1].GetProperty("differences").GetProperty("first").GetProperty("utility").GetProperty("includes_zero").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void Csv_TwoReferences_DifferenceColumnsPerReference()
    {
        var lines = ResultWriters.Csv(TwoReferences()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.ShouldBe(
        [
            "pipeline,utility,utility_diff[first],utility_diff_low[first],utility_diff_high[first],utility_diff[last],utility_diff_low[last],utility_diff_high[last],status,error",
            "first,1.5,,,,-0.5,-0.75,-0.25,ok,",
            "mid,1.75,0.25,-0.125,0.5,-0.25,-0.5,-0.125,ok,",
            "last,2,0.5,0.25,0.75,,,,ok,",
        ]);
    }

    [Fact]
    public void Markdown_TwoReferences_ATablePerReference()
    {
        var md = ResultWriters.Markdown(TwoReferences());

        md.ShouldContain("""
            ## Difference to first

            Mean paired difference per request (row − first) with its 95% percentile bootstrap interval (1000 resamples of the test requests, pooled over seeds); n.s.: the interval includes 0.

            | pipeline | utility |
            |---|---:|
            | mid | +0.2500 [-0.1250, +0.5000] n.s. |
            | last | +0.5000 [+0.2500, +0.7500] |

            ## Difference to last

            Mean paired difference per request (row − last) with its 95% percentile bootstrap interval (1000 resamples of the test requests, pooled over seeds); n.s.: the interval includes 0.

            | pipeline | utility |
            |---|---:|
            | first | -0.5000 [-0.7500, -0.2500] |
            | mid | -0.2500 [-0.5000, -0.1250] |

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Json_SeedsAndComparison_StdAndDifferenceAfterMetrics()
    {
        using var json = JsonDocument.Parse(ResultWriters.Json(Seeded()));
        var root = json.RootElement;

        root.EnumerateObject().Select(p => p.Name).ShouldBe(["experiment", "seeds", "compare_to", "dataset", "rows"]);
        root.GetProperty("seeds").EnumerateArray().Select(e => e.GetUInt64()).ShouldBe([1UL, 2UL]);
        root.GetProperty("dataset").GetProperty("seeds").EnumerateArray().Select(e => e.GetUInt64()).ShouldBe([1UL, 2UL]);
        root.GetProperty("compare_to").GetProperty("pipeline").GetString().ShouldBe("first");
        root.GetProperty("compare_to").GetProperty("bootstrap_samples").GetInt32().ShouldBe(1000);
        var rows = root.GetProperty("rows");
        rows[0].EnumerateObject().Select(p => p.Name).ShouldBe(["pipeline", "status", "metrics", "std"]);
        rows[1].EnumerateObject().Select(p => p.Name).ShouldBe(["pipeline", "status", "metrics", "std", "difference"]);
        rows[1].GetProperty("std").GetProperty("ild").GetDouble().ShouldBe(0.125);
        var ild = rows[1].GetProperty("difference").GetProperty("ild");
        ild.EnumerateObject().Select(p => p.Name).ShouldBe(["mean", "low", "high", "requests", "includes_zero"]);
        ild.GetProperty("low").GetDouble().ShouldBe(-0.5);
        ild.GetProperty("includes_zero").GetBoolean().ShouldBeTrue();
        rows[1].GetProperty("difference").GetProperty("utility").GetProperty("includes_zero").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public void Csv_SeedsAndComparison_StdThenDifferenceColumnsBeforeStatus()
    {
        var lines = ResultWriters.Csv(Seeded()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.ShouldBe(
        [
            "pipeline,utility,ild,utility_std,ild_std,utility_diff,utility_diff_low,utility_diff_high,ild_diff,ild_diff_low,ild_diff_high,status,error",
            "first,1.5,0.5,0.25,,,,,,,,ok,",
            "last,2,0.25,0.5,0.125,0.5,0.25,0.75,-0.25,-0.5,0.0625,ok,",
        ]);
    }

    [Fact]
    public void Markdown_SeedsAndComparison_MeanPlusMinusStdAndADifferenceTable()
    {
        var md = ResultWriters.Markdown(Seeded());

        md.ShouldContain("Mean ± sample standard deviation over 2 seeds.");
        md.ShouldContain("| first | 1.5000 ± 0.2500 | 0.5000 |\n| last | 2.0000 ± 0.5000 | 0.2500 ± 0.1250 |\n");
        md.ShouldContain("## Difference to first\n\n");
        md.ShouldContain("| pipeline | utility | ild |\n|---|---:|---:|\n| last | +0.5000 [+0.2500, +0.7500] | -0.2500 [-0.5000, +0.0625] n.s. |\n");
    }
}
