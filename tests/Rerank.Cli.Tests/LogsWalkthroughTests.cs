using System.Text.Json;
using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary>
/// The walkthrough of docs/logs.md as it is shipped (<c>experiments/logs-walkthrough.yaml</c>): a Parquet log written by
/// <c>rerank simulate</c> where the experiment expects it, read through its mapping and ranked by off-policy estimates,
/// with the effective-sample-size warning the page tells the reader to look for. Smaller than the page's run (420
/// requests instead of 42 000; the split shares are the file's).
/// </summary>
public sealed class LogsWalkthroughTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rerank-logs-walkthrough-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Walkthrough_SimulatedParquetLog_RanksEveryPipelineByEachEstimatorAndWarnsOnFewEffectiveSamples()
    {
        var experiments = Directory.CreateDirectory(Path.Combine(_root, "experiments")).FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "experiments", "logs-walkthrough.yaml"), Path.Combine(experiments, "logs-walkthrough.yaml"));
        var simulate = RerankProcess.Run(_root, "simulate", "--format", "parquet", "--out", Path.Combine("out", "my-logs"), "--seed", "7",
            "--set", "candidates=8", "--set", "slate_size=4", "--set", "train_requests=200", "--set", "validation_requests=20", "--set", "test_requests=200");
        simulate.ExitCode.ShouldBe(0, simulate.Stderr);

        var run = RerankProcess.Run(_root, "run", Path.Combine("experiments", "logs-walkthrough.yaml"), "--out", Path.Combine("out", "logs-walkthrough"));

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldContain("off-policy estimates");
        var markdown = File.ReadAllText(Path.Combine(_root, "out", "logs-walkthrough", "results.md"));
        markdown.ShouldContain("| pipeline | ild | latency_p50_ms |");
        markdown.ShouldNotContain("oracle_ratio", Case.Sensitive, "logs have no truth: no column of simulator-only metrics");
        (run.Stdout + run.Stderr).ShouldContain("warning: IPS: effective sample size below 100 for initial, random, mmr, dpp, pointwise: too few effective samples to rank the pipelines by IPS");
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "out", "logs-walkthrough", "results.json")));
        results.RootElement.GetProperty("dataset").GetProperty("test_requests").GetInt32().ShouldBe(200);
        var rows = results.RootElement.GetProperty("rows").EnumerateArray().Where(r => r.TryGetProperty("off_policy", out _)).ToList();
        rows.Select(r => r.GetProperty("pipeline").GetString()).ShouldBe(["initial", "random", "mmr", "dpp", "pointwise"]);
        foreach (var row in rows)
        {
            var estimates = row.GetProperty("off_policy");
            estimates.EnumerateObject().Select(p => p.Name).ShouldBe(["IPS", "SNIPS", "IIPS", "RIPS", "SN-RIPS", "PI", "CDR"], "IIPS and PI from the declared logging policy");
            foreach (var estimate in estimates.EnumerateObject())
            {
                var seed = estimate.Value.GetProperty("seeds")[0];
                seed.GetProperty("low").GetDouble().ShouldBeLessThanOrEqualTo(seed.GetProperty("high").GetDouble());
                (!seed.TryGetProperty("truth", out var truth) || truth.ValueKind == JsonValueKind.Null).ShouldBeTrue("logs have no truth");
            }
        }
    }
}
