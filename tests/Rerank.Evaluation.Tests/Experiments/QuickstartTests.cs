using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Plugins;
using Rerank.Testing;
using Xunit.Abstractions;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>The embedded default job, run in-process against the built plugins folder, meets the foundation's acceptance.</summary>
public sealed class QuickstartTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-quickstart-").FullName;

    public QuickstartTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_Quickstart_MeetsAcceptance()
    {
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(Path.Combine(RepoPaths.Root, "experiments", "quickstart.yaml"), errors);
        errors.ShouldBeEmpty();
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));

        var result = new ExperimentRunner(catalog, SilentReporter.Instance).Run(spec!, _folder);
        ResultWriters.WriteAll(result, _folder);
        _output.WriteLine(File.ReadAllText(Path.Combine(_folder, "results.md")));

        var rows = result.Rows.ToDictionary(r => r.Pipeline);
        rows.Keys.ShouldBe(["initial", "random", "pointwise", "mmr", "dpp", "beam-oracle"], ignoreOrder: false);
        rows["random"]["hr@10%"]!.Value.ShouldBeInRange(0.07, 0.13);
        rows["beam-oracle"]["oracle_ratio"]!.Value.ShouldBeGreaterThanOrEqualTo(0.98);
        rows["initial"]["oracle_ratio"]!.Value.ShouldBeLessThan(rows["beam-oracle"]["oracle_ratio"]!.Value);
        rows["mmr"]["ild"]!.Value.ShouldBeGreaterThan(rows["initial"]["ild"]!.Value);
    }

    [Fact]
    public void ResultsJson_HasTheStableShape()
    {
        var result = new ExperimentResult(
            "e",
            [new("type", "simulator"), new("candidates", 12)],
            [new ResultRow("p", [new("utility", 1.5), new("hr@1%", 0.25), new("hr@3%", 0.5), new("hr@10%", 0.75), new("oracle_ratio", null), new("ild", 0.5), new("latency_p50_ms", 0.1), new("latency_p99_ms", 0.2)])],
            new Dictionary<string, string>(),
            new Dictionary<string, double[]>(),
            new Dictionary<string, IReadOnlyList<KeyValuePair<string, double>>>(),
            []);
        using var json = JsonDocument.Parse(ResultWriters.Json(result));
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["experiment", "dataset", "rows"]);
        root.GetProperty("experiment").GetString().ShouldBe("e");
        root.GetProperty("dataset").GetProperty("candidates").GetInt32().ShouldBe(12);
        var row = root.GetProperty("rows")[0];
        row.GetProperty("pipeline").GetString().ShouldBe("p");
        var metrics = row.GetProperty("metrics");
        metrics.EnumerateObject().Select(p => p.Name).ShouldBe(["utility", "hr@1%", "hr@3%", "hr@10%", "oracle_ratio", "ild", "latency_p50_ms", "latency_p99_ms"]);
        metrics.GetProperty("oracle_ratio").ValueKind.ShouldBe(JsonValueKind.Null);
        metrics.GetProperty("hr@10%").GetDouble().ShouldBe(0.75);
    }
}
