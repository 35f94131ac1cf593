using System.Text.Json;
using Rerank.Evaluation.Results;

namespace Rerank.Evaluation.Tests.Results;

/// <summary>A failed pipeline is a row with status <c>failed</c> and its error in every results file; the finished rows stay.</summary>
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
}
