using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary>Bad input gets one clear line naming the offending thing, exit code 2 and no stack trace.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-bad-input-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Validate_MalformedYaml_ReportsLineAndColumn()
    {
        var result = Validate("name: p\nstages:\n  - generate: { use: baselines/initial\n");
        AssertOneClearError(result, "malformed YAML");
        result.Stderr.ShouldContain("p.yaml:");
    }

    [Fact]
    public void Validate_UnknownPlugin_NamesItAndListsLoaded()
    {
        var result = Validate(Pipeline("nosuch@^1.0/initial"));
        AssertOneClearError(result, "unknown plugin 'nosuch'");
        result.Stderr.ShouldContain("baselines@");
    }

    [Fact]
    public void Validate_UnknownComponent_NamesItAndListsAvailable()
    {
        var result = Validate(Pipeline("baselines@^1.0/initail"));
        AssertOneClearError(result, "no generator 'initail'");
        result.Stderr.ShouldContain("baselines/initial");
    }

    [Fact]
    public void Validate_UnknownParam_NamesKeyAndListsKnownKeys()
    {
        var result = Validate(Pipeline("baselines@^1.0/initial", "prior: ctr, priorr: cvr"));
        AssertOneClearError(result, "unknown key 'priorr'");
        result.Stderr.ShouldContain("known keys: prior");
    }

    [Fact]
    public void Validate_VersionRangeWithNoMatch_NamesRangeAndLoadedVersions()
    {
        var result = Validate(Pipeline("baselines@^9.0/initial"));
        AssertOneClearError(result, "no version of plugin 'baselines' matches '^9.0'");
        result.Stderr.ShouldContain("loaded versions: 1.0.0");
    }

    [Fact]
    public void Validate_ManyErrors_ReportsAllOfThem()
    {
        var result = Validate(Pipeline("nosuch/initial") + "  - truncate: { size: 0 }\n  - frobnicate: {}\n");
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("unknown plugin 'nosuch'");
        result.Stderr.ShouldContain("'size' must be in [1, 10000], got 0");
        result.Stderr.ShouldContain("unknown stage 'frobnicate'");
    }

    [Fact]
    public void Validate_RunawayCount_NamesKeyRangeValueAndLocation()
    {
        var result = Validate("name: p\nstages:\n  - generate:\n      use: baselines@^1.0/random\n      count: 2147483647\n");
        AssertOneClearError(result, "p.yaml:5:14: pipeline 'p', generate: 'count' must be in [1, 1024], got 2147483647");
    }

    [Fact]
    public void Validate_PluginParamOutOfRange_NamesKeyRangeValueAndLocation()
    {
        var result = Validate(Pipeline("baselines@^1.0/initial") + "  - diversify: { use: baselines/mmr, params: { lambda: 1.5 } }\n");
        AssertOneClearError(result, "p.yaml:5:56: diversifier 'baselines@1.0.0/mmr': params.lambda: must be in [0, 1], got 1.5");
    }

    [Fact]
    public void Run_SlateLargerThanCandidates_IsRefusedNamingBothKeys()
    {
        var path = Write("e.yaml", """
            name: e
            dataset:
              type: simulator
              params: { candidates: 5, slate_size: 6 }
            pipelines:
              - name: initial
                stages: [ { generate: { use: baselines/initial } } ]
            """);
        var result = RerankProcess.Run(_folder, "run", path, "--out", Path.Combine(_folder, "out"));
        AssertOneClearError(result, "slate_size");
        result.Stderr.ShouldContain("candidates");
    }

    [Fact]
    public void Run_MalformedImpressionLog_ExitsTwoNamingFileRowAndColumn()
    {
        Write("log.csv", "request_id,item_id,position,click\nr1,a,1,1\nr1,b,2,yes\n");
        var path = Write("e.yaml", """
            name: e
            dataset:
              type: logs
              path: log.csv
              params: { split: { by: request } }
            pipelines:
              - name: initial
                stages: [ { generate: { use: baselines/initial } } ]
            """);
        var result = RerankProcess.Run(_folder, "run", path, "--out", Path.Combine(_folder, "out"));
        AssertOneClearError(result, "log.csv:2:4: row 2, column 'click': expected 0 or 1, got 'yes'");
    }

    [Fact]
    public void Validate_HundredThousandNestedBrackets_ExitsTwoWithTheLocation()
    {
        // Issue #16 item 2: this file used to overflow the stack (exit 134, a 39k-line trace).
        var result = Validate("name: p\nstages: " + new string('[', 100_000) + "\n");
        AssertOneClearError(result, "p.yaml:2:");
        result.Stderr.ShouldContain("deeper than 64 levels");
    }

    [Fact]
    public void Validate_AliasBomb_ExitsTwoQuickly()
    {
        // Issue #16 item 3: this 1.4 KB file used to take 3.2 GB in 35 s.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = Validate(HostileYaml.BillionLaughs());
        AssertOneClearError(result, "aliases may repeat a block, not multiply the file");
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Validate_UnclosedBraceThenListItem_ExitsTwoWithTheLocation()
    {
        // Issue #16 item 4: exit 1 with no location before.
        var result = Validate("name: p\nstages:\n  - generate: { use: baselines/initial\n  - truncate:\n");
        AssertOneClearError(result, "the '{' opened at 3:15 is not closed");
        result.Stderr.ShouldContain("p.yaml:");
    }

    [Fact]
    public void Run_MissingFile_SaysSo()
    {
        var result = RerankProcess.Run(_folder, "run", Path.Combine(_folder, "missing.yaml"));
        AssertOneClearError(result, "not found");
    }

    [Fact]
    public void UnknownCommand_ExitsWithBadInput()
    {
        var result = RerankProcess.Run(_folder, "frobnicate");
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("frobnicate");
    }

    private static string Pipeline(string use, string? parameters = null) =>
        $"name: p\nstages:\n  - generate:\n      use: {use}\n" + (parameters is null ? "" : $"      params: {{ {parameters} }}\n");

    private static void AssertOneClearError(RerankProcess.Result result, string expected)
    {
        result.ExitCode.ShouldBe(2, $"stdout: {result.Stdout}\nstderr: {result.Stderr}");
        result.Stderr.ShouldContain(expected, Case.Sensitive, result.Stderr);
        result.Stderr.ShouldNotContain("   at ", Case.Sensitive, "no stack trace");
        result.Stderr.ShouldNotContain("Exception", Case.Sensitive, "no exception type names");
    }

    private RerankProcess.Result Validate(string yaml) => RerankProcess.Run(_folder, "validate", Write("p.yaml", yaml));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
