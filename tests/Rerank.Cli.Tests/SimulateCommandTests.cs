using Rerank.Cli;
using Rerank.Runtime.Configuration;
using Rerank.Testing;

namespace Rerank.Cli.Tests;

public sealed class SimulateCommandTests
{
    [Fact]
    public void BindOptions_Set_OverridesTheDefault() =>
        SimulateCommand.BindOptions(null, ["candidates=12", "slate_size=4"]).Candidates.ShouldBe(12);

    [Fact]
    public void BindOptions_SetOutOfRange_NamesKeyRangeAndValue()
    {
        var e = Should.Throw<ConfigException>(() => SimulateCommand.BindOptions(null, ["train_requests=2147483647", "users=0"]));

        e.Errors.Select(x => x.ToString()).ShouldBe(
        [
            "--set train_requests=2147483647: params.train_requests: must be in [0, 10000000], got 2147483647",
            "--set users=0: params.users: must be in [1, 1000000], got 0",
        ]);
    }

    [Theory]
    [InlineData("csv", "impressions.csv")]
    [InlineData("jsonl", "impressions.jsonl")]
    [InlineData("parquet", "impressions.parquet")]
    public void Simulate_LogFormat_WritesOneImpressionLogAndPrintsTheBlockThatReadsIt(string format, string file)
    {
        using var folder = new TempFolder();

        var result = RerankProcess.Run(folder.Path, "simulate", "--format", format, "--out", folder.Path, "--set", "candidates=4", "--set", "slate_size=2",
            "--set", "train_requests=3", "--set", "validation_requests=1", "--set", "test_requests=1");

        result.ExitCode.ShouldBe(0, result.Stderr);
        File.Exists(Path.Combine(folder.Path, file)).ShouldBeTrue();
        File.Exists(Path.Combine(folder.Path, "dataset.json")).ShouldBeFalse("the folder format is not written");
        result.Stdout.ShouldContain("type: logs");
        result.Stdout.ShouldContain("split: {by: time, validation: 0.2, test: 0.2}");
        result.Stdout.ShouldContain("logging_policy: {type: plackett_luce, log_prior: ctr, temperature: 0.5}");
    }

    [Fact]
    public void Simulate_UnknownFormat_IsRefused()
    {
        using var folder = new TempFolder();

        var result = RerankProcess.Run(folder.Path, "simulate", "--format", "xml", "--out", folder.Path);

        result.ExitCode.ShouldNotBe(0);
        (result.Stdout + result.Stderr).ShouldContain("xml");
    }
}
