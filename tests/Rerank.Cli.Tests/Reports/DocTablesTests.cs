using Rerank.Cli.Reports;

namespace Rerank.Cli.Tests.Reports;

/// <summary>
/// Marked tables in a Markdown page rewritten from a results.json (the results, or with <c>differences: REF</c> the
/// difference table to a compare_to reference, from either results.json shape); everything else untouched; clear errors.
/// </summary>
public sealed class DocTablesTests : IDisposable
{
    private const string Results = """
        {
          "experiment": "t",
          "dataset": { "seed": 1 },
          "rows": [
            { "pipeline": "initial", "status": "ok", "metrics": { "utility": 5.07374, "hr@1%": 0.238, "pcoc": null } },
            { "pipeline": "evaluator: sort", "status": "ok", "metrics": { "utility": null, "hr@1%": null, "pcoc": 0.96904 } }
          ]
        }
        """;

    /// <summary>One reference: the shape results.json has had since compare_to came (<c>"difference"</c>).</summary>
    private const string OneReference = """
        {
          "experiment": "one",
          "compare_to": { "pipeline": "initial", "level": 0.95, "bootstrap_samples": 1000, "interval": "…" },
          "dataset": { "seed": 1 },
          "rows": [
            { "pipeline": "initial", "status": "ok", "metrics": { "utility": 0.5, "ild": 0.25 } },
            { "pipeline": "dpp", "status": "ok", "metrics": { "utility": 0.75, "ild": 0.5 },
              "difference": { "utility": { "mean": 0.25, "low": 0.125, "high": 0.375, "requests": 40, "includes_zero": false },
                              "ild": { "mean": 0.01, "low": -0.02, "high": 0.04, "requests": 40, "includes_zero": true } } },
            { "pipeline": "broken", "status": "failed", "error": "boom", "metrics": {} }
          ]
        }
        """;

    /// <summary>Two references: <c>"differences": {reference: …}</c>.</summary>
    private const string TwoReferences = """
        {
          "experiment": "two",
          "compare_to": { "pipelines": ["dpp", "initial"], "level": 0.95, "bootstrap_samples": 1000, "interval": "…" },
          "dataset": { "seed": 1 },
          "rows": [
            { "pipeline": "initial", "status": "ok", "metrics": { "utility": 0.5 },
              "differences": { "dpp": { "utility": { "mean": -0.25, "low": -0.375, "high": -0.125, "requests": 40, "includes_zero": false } } } },
            { "pipeline": "dpp", "status": "ok", "metrics": { "utility": 0.75 },
              "differences": { "initial": { "utility": { "mean": 0.25, "low": 0.125, "high": 0.375, "requests": 40, "includes_zero": false } } } },
            { "pipeline": "nar4rec", "status": "ok", "metrics": { "utility": 0.8 },
              "differences": { "dpp": { "utility": { "mean": 0.05, "low": -0.01, "high": 0.11, "requests": 40, "includes_zero": true } },
                               "initial": { "utility": { "mean": 0.3, "low": 0.2, "high": 0.4, "requests": 40, "includes_zero": false } } } }
          ]
        }
        """;

    /// <summary>Off-policy estimates of two seeds: the seeds' own numbers are what the check table summarises.</summary>
    private const string OffPolicy = """
        {
          "experiment": "ope",
          "off_policy": { "reward": "clicks", "level": 0.95, "bootstrap_samples": 1000, "clip": 1000000, "min_ess": 100, "interval": "…", "notes": [] },
          "dataset": { "seed": 1 },
          "rows": [
            { "pipeline": "initial", "status": "ok", "metrics": { "utility": 0.5 },
              "off_policy": {
                "IPS": { "estimate": 0.5, "seeds": [
                  { "seed": 1, "estimate": 0.5, "low": 0.25, "high": 0.75, "ess": 400, "clipped": 0, "requests": 1000, "truth": 0.5 },
                  { "seed": 2, "estimate": 0.75, "low": 0.625, "high": 0.875, "ess": 90, "clipped": 2, "requests": 1000, "truth": 0.5 } ] },
                "RIPS": { "estimate": 0.5, "seeds": [
                  { "seed": 1, "estimate": 0.5, "low": 0.375, "high": 0.625, "ess": 900, "clipped": 0, "requests": 1000, "truth": 0.5 },
                  { "seed": 2, "estimate": 0.5, "low": 0.375, "high": 0.625, "ess": 800, "clipped": 0, "requests": 1000, "truth": 0.5 } ] } } }
          ]
        }
        """;

    private const string Page = """
        # Page

        | pipeline | utility |
        |---|---:|
        | hand-written | 1.0000 |

        <!-- results: out/t/results.json columns: pipeline,utility,pcoc -->
        | pipeline | utility | pcoc |
        |---|---:|---:|
        | initial | 9.9999 | – |
        <!-- /results -->

        Text after.

        """;

    private readonly string _root = Directory.CreateTempSubdirectory("rerank-doctables-").FullName;

    public DocTablesTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "out", "t"));
        File.WriteAllText(Path.Combine(_root, "out", "t", "results.json"), Results);
        Directory.CreateDirectory(Path.Combine(_root, "out", "one"));
        File.WriteAllText(Path.Combine(_root, "out", "one", "results.json"), OneReference);
        Directory.CreateDirectory(Path.Combine(_root, "out", "two"));
        File.WriteAllText(Path.Combine(_root, "out", "two", "results.json"), TwoReferences);
        Directory.CreateDirectory(Path.Combine(_root, "out", "ope"));
        File.WriteAllText(Path.Combine(_root, "out", "ope", "results.json"), OffPolicy);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Rewrite_MarkedBlock_RegeneratedFromResultsAndTheRestUntouched()
    {
        var errors = new List<string>();

        var text = DocTables.Rewrite(Page, "page.md", _root, errors);

        errors.ShouldBeEmpty();
        text.ShouldBe("""
            # Page

            | pipeline | utility |
            |---|---:|
            | hand-written | 1.0000 |

            <!-- results: out/t/results.json columns: pipeline,utility,pcoc -->
            | pipeline | utility | pcoc |
            |---|---:|---:|
            | initial | 5.0737 | – |
            | evaluator: sort | – | 0.9690 |
            <!-- /results -->

            Text after.

            """);
        DocTables.Rewrite(text, "page.md", _root, errors).ShouldBe(text);
    }

    [Fact]
    public void Rewrite_OffPolicyMarker_CheckTableSummarisingTheSeeds()
    {
        var errors = new List<string>();

        var all = DocTables.Rewrite("<!-- results: out/ope off_policy: all -->\n<!-- /results -->\n", "page.md", _root, errors);
        var rips = DocTables.Rewrite("<!-- results: out/ope off_policy: RIPS -->\n<!-- /results -->\n", "page.md", _root, errors);
        DocTables.Rewrite("<!-- results: out/ope off_policy: CDR -->\n<!-- /results -->\n", "page.md", _root, errors);

        // IPS: mean 0.625 ± std 0.1768 over the seeds, interval ends averaged, truth 0.5, seed 2's interval misses it, ESS the smaller (90 < 100: †).
        all.ShouldBe("""
            <!-- results: out/ope off_policy: all -->
            | pipeline | estimator | estimate | 95% interval | truth | estimate − truth | interval holds truth | ESS | clipped |
            |---|---|---:|---:|---:|---:|---:|---:|---:|
            | initial | IPS | 0.6250 ± 0.1768 | [0.4375, 0.8125] | 0.5000 ± 0.0000 | +0.1250 | 1/2 | 90 † | 2 |
            | initial | RIPS | 0.5000 ± 0.0000 | [0.3750, 0.6250] | 0.5000 ± 0.0000 | 0.0000 | 2/2 | 800 | 0 |
            <!-- /results -->

            """);
        var summary = DocTables.Rewrite("<!-- results: out/ope off_policy: summary -->\n<!-- /results -->\n", "page.md", _root, errors);
        // RMSE of IPS over the seeds' errors 0 and +0.25: √(0.0625 / 2) = 0.1768.
        summary.ShouldContain("| IPS | 1/2 | +0.1250 | 0.1250 | 0.1768 | 0.2500 | 90 † |\n| RIPS | 2/2 | 0.0000 | 0.0000 | 0.0000 | 0.0000 | 800 |\n");
        rips.ShouldContain("| initial | RIPS |");
        rips.ShouldNotContain("| IPS |");
        errors.ShouldHaveSingleItem().ShouldEndWith("no off-policy estimator 'CDR'; it has IPS, RIPS");
    }

    [Fact]
    public void Rewrite_OffPolicyMarker_OnLogsWithoutTruth_LeavesTheTruthColumnsOut()
    {
        var folder = Path.Combine(_root, "out", "logs");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "results.json"), OffPolicy.Replace(", \"truth\": 0.5", "", StringComparison.Ordinal));
        var errors = new List<string>();

        var all = DocTables.Rewrite("<!-- results: out/logs off_policy: all -->\n<!-- /results -->\n", "page.md", _root, errors);
        DocTables.Rewrite("<!-- results: out/logs off_policy: summary -->\n<!-- /results -->\n", "page.md", _root, errors);

        all.ShouldBe("""
            <!-- results: out/logs off_policy: all -->
            | pipeline | estimator | estimate | 95% interval | ESS | clipped |
            |---|---|---:|---:|---:|---:|
            | initial | IPS | 0.6250 ± 0.1768 | [0.4375, 0.8125] | 90 † | 2 |
            | initial | RIPS | 0.5000 ± 0.0000 | [0.3750, 0.6250] | 800 | 0 |
            <!-- /results -->

            """);
        errors.ShouldHaveSingleItem().ShouldContain("no truth beside the off-policy estimates");
    }

    [Fact]
    public void Rewrite_OffPolicySweep_OneRowPerRunLabelledByTheSettingsThatDiffer()
    {
        Sweep("t1", """{ "seed": 1, "logging_temperature": 1, "test_requests": 1000, "candidates": 6 }""");
        Sweep("t025", """{ "seed": 2, "logging_temperature": 0.25, "test_requests": 1000, "candidates": 6 }""", exactIps: true);
        var errors = new List<string>();

        var rmse = DocTables.Rewrite("<!-- results: out/sweep off_policy: sweep:rmse -->\n<!-- /results -->\n", "page.md", _root, errors);
        var coverage = DocTables.Rewrite("<!-- results: out/sweep off_policy: sweep:coverage -->\n<!-- /results -->\n", "page.md", _root, errors);
        var bias = DocTables.Rewrite("<!-- results: out/sweep off_policy: sweep:bias -->\n<!-- /results -->\n", "page.md", _root, errors);
        var ess = DocTables.Rewrite("<!-- results: out/sweep off_policy: sweep:ess -->\n<!-- /results -->\n", "page.md", _root, errors);

        // Only logging_temperature differs (seed is not a setting); rows sorted by it numerically (0.25 before 1).
        errors.ShouldBeEmpty();
        rmse.ShouldBe("""
            <!-- results: out/sweep off_policy: sweep:rmse -->
            | logging_temperature | IPS | RIPS |
            |---:|---:|---:|
            | 0.25 | 0.0000 | 0.0000 |
            | 1 | 0.1768 | 0.0000 |
            <!-- /results -->

            """);
        coverage.ShouldContain("| 0.25 | 2/2 | 2/2 |\n| 1 | 1/2 | 2/2 |\n");
        bias.ShouldContain("| 0.25 | 0.0000 | 0.0000 |\n| 1 | +0.1250 | 0.0000 |\n");
        ess.ShouldContain("| 0.25 | 90 † | 800 |\n");
    }

    [Fact]
    public void Rewrite_OffPolicySweep_NothingDiffers_RowsNamedByFolder_AndErrorsNameTheProblem()
    {
        Sweep("b", """{ "seed": 1 }""");
        Sweep("a", """{ "seed": 1 }""");
        var errors = new List<string>();

        var text = DocTables.Rewrite("<!-- results: out/sweep off_policy: sweep:coverage -->\n<!-- /results -->\n", "page.md", _root, errors);
        DocTables.Rewrite("<!-- results: out/sweep off_policy: sweep:median -->\n<!-- /results -->\n", "page.md", _root, errors);
        DocTables.Rewrite("<!-- results: out/none off_policy: sweep:rmse -->\n<!-- /results -->\n", "page.md", _root, errors);
        DocTables.Rewrite("<!-- results: out off_policy: sweep:rmse -->\n<!-- /results -->\n", "page.md", _root, errors);

        text.ShouldContain("| run | IPS | RIPS |\n|---:|---:|---:|\n| a | 1/2 | 2/2 |\n| b | 1/2 | 2/2 |\n");
        errors.Count.ShouldBe(3);
        errors[0].ShouldBe("page.md:1: unknown off-policy statistic 'sweep:median'; one of sweep:rmse, sweep:bias, sweep:coverage, sweep:ess");
        errors[1].ShouldStartWith("page.md:1: sweep folder not found: ");
        errors[2].ShouldContain("no off-policy estimates"); // out/one (a run without off_policy) is the first of out's folders
    }

    /// <summary>A run of the sweep: <see cref="OffPolicy"/> with its dataset settings, and IPS's second seed exact (interval [0.375, 0.875]) when <paramref name="exactIps"/>.</summary>
    private void Sweep(string name, string dataset, bool exactIps = false)
    {
        var folder = Path.Combine(_root, "out", "sweep", name);
        Directory.CreateDirectory(folder);
        var json = OffPolicy.Replace("\"dataset\": { \"seed\": 1 }", "\"dataset\": " + dataset, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "results.json"), exactIps
            ? json.Replace("\"estimate\": 0.75, \"low\": 0.625", "\"estimate\": 0.5, \"low\": 0.375", StringComparison.Ordinal)
            : json);
    }

    [Fact]
    public void Rewrite_NoColumns_PipelineAndEveryMetric()
    {
        var errors = new List<string>();

        var text = DocTables.Rewrite("<!-- results: out/t -->\n<!-- /results -->\n", "page.md", _root, errors);

        errors.ShouldBeEmpty();
        text.ShouldStartWith("<!-- results: out/t -->\n| pipeline | utility | hr@1% | pcoc |\n|---|---:|---:|---:|\n| initial | 5.0737 | 0.2380 | – |\n");
    }

    [Fact]
    public void Rewrite_RowsWithNothingInTheColumns_LeftOutButFailedRowsKept()
    {
        var errors = new List<string>();

        var lists = DocTables.Rewrite("<!-- results: out/t columns: pipeline,utility -->\n<!-- /results -->\n", "page.md", _root, errors);
        var evaluators = DocTables.Rewrite("<!-- results: out/t columns: pipeline,pcoc -->\n<!-- /results -->\n", "page.md", _root, errors);
        var failed = DocTables.Rewrite("<!-- results: out/one columns: pipeline,utility -->\n<!-- /results -->\n", "page.md", _root, errors);

        errors.ShouldBeEmpty();
        lists.ShouldBe("<!-- results: out/t columns: pipeline,utility -->\n| pipeline | utility |\n|---|---:|\n| initial | 5.0737 |\n<!-- /results -->\n");
        evaluators.ShouldBe("<!-- results: out/t columns: pipeline,pcoc -->\n| pipeline | pcoc |\n|---|---:|\n| evaluator: sort | 0.9690 |\n<!-- /results -->\n");
        failed.ShouldContain("| broken | – |", Case.Sensitive, "a failed row stays, so the table shows it failed");
    }

    [Fact]
    public void Rewrite_MarkersInFencedCode_LeftAsText()
    {
        const string page = "```markdown\n<!-- results: out/t -->\n| … |\n<!-- /results -->\n```\n";
        var errors = new List<string>();

        DocTables.Rewrite(page, "page.md", _root, errors).ShouldBe(page);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public void Rewrite_MissingResultsFile_ErrorNamingItAndBlockKept()
    {
        var errors = new List<string>();
        var page = Page.Replace("out/t/results.json", "out/missing/results.json", StringComparison.Ordinal);

        var text = DocTables.Rewrite(page, "page.md", _root, errors);

        text.ShouldBe(page);
        errors.ShouldHaveSingleItem().ShouldStartWith($"page.md:7: results file not found: {Path.Combine(_root, "out/missing/results.json")}");
    }

    [Fact]
    public void Rewrite_UnknownColumn_ErrorListingTheMetrics()
    {
        var errors = new List<string>();

        DocTables.Rewrite(Page.Replace("pipeline,utility,pcoc", "pipeline,utlity", StringComparison.Ordinal), "page.md", _root, errors);

        errors.ShouldHaveSingleItem().ShouldEndWith("no metric 'utlity'; it has pipeline, utility, hr@1%, pcoc");
    }

    [Fact]
    public void Rewrite_Unclosed_ErrorWithLine()
    {
        var errors = new List<string>();

        DocTables.Rewrite("x\n<!-- results: out/t -->\n| a |\n", "page.md", _root, errors);

        errors.ShouldBe(["page.md:2: '<!-- results: … -->' has no closing '<!-- /results -->'"]);
    }

    [Fact]
    public void Rewrite_DifferencesOfOneReference_TheDifferenceTableWithNotSignificantMarked()
    {
        var errors = new List<string>();

        var text = DocTables.Rewrite("<!-- results: out/one differences: initial -->\n<!-- /results -->\n", "page.md", _root, errors);

        errors.ShouldBeEmpty();
        text.ShouldBe("<!-- results: out/one differences: initial -->\n| pipeline | utility | ild |\n|---|---:|---:|\n"
            + "| dpp | +0.2500 [+0.1250, +0.3750] | +0.0100 [-0.0200, +0.0400] n.s. |\n<!-- /results -->\n");
    }

    [Theory]
    [InlineData("<!-- results: out/two differences: dpp columns: pipeline,utility -->")]
    [InlineData("<!-- results: out/two/results.json columns: pipeline,utility differences: dpp -->")]
    public void Rewrite_DifferencesOfOneOfSeveralReferences_ItsRowsOnlyEitherOrderOfKeys(string marker)
    {
        var errors = new List<string>();

        var text = DocTables.Rewrite(marker + "\n| old |\n<!-- /results -->\n", "page.md", _root, errors);

        errors.ShouldBeEmpty();
        text.ShouldBe(marker + "\n| pipeline | utility |\n|---|---:|\n| initial | -0.2500 [-0.3750, -0.1250] |\n"
            + "| nar4rec | +0.0500 [-0.0100, +0.1100] n.s. |\n<!-- /results -->\n");
    }

    [Theory]
    [InlineData("out/two differences: seq2slate", "no differences to 'seq2slate'; it has differences to dpp, initial")]
    [InlineData("out/t differences: initial", "no differences to 'initial': the run had no evaluation.compare_to")]
    [InlineData("out/one differences: initial columns: pipeline,hr@1%", "no difference to 'initial' in 'hr@1%'; it has pipeline, utility, ild")]
    [InlineData("out/one differences: initial differences: dpp", "page.md:1: 'differences:' is given twice in '<!-- results: … -->'")]
    public void Rewrite_BadDifferences_ErrorAndBlockKept(string marker, string expected)
    {
        var page = $"<!-- results: {marker} -->\n| old |\n<!-- /results -->\n";
        var errors = new List<string>();

        DocTables.Rewrite(page, "page.md", _root, errors).ShouldBe(page);
        errors.ShouldHaveSingleItem().ShouldEndWith(expected);
    }

    [Fact]
    public void Report_AsProcess_DifferencesOfAReference()
    {
        var ok = RerankProcess.Run(_root, "report", "out/two", "--markdown", "--differences", "initial", "--columns", "pipeline,utility");
        var unknown = RerankProcess.Run(_root, "report", "out/two", "--markdown", "--differences", "random");

        ok.ExitCode.ShouldBe(0, ok.Stderr);
        ok.Stdout.ShouldBe("| pipeline | utility |\n|---|---:|\n| dpp | +0.2500 [+0.1250, +0.3750] |\n| nar4rec | +0.3000 [+0.2000, +0.4000] |\n");
        unknown.ExitCode.ShouldBe(2);
        unknown.Stderr.ShouldContain("no differences to 'random'; it has differences to dpp, initial");
    }

    [Fact]
    public void Update_WritesOnlyChangedFiles()
    {
        var page = Path.Combine(_root, "page.md");
        File.WriteAllText(page, Page);
        var log = new StringWriter();

        ReportCommand.UpdateDocs([page], _root, log).ShouldBe(0);
        ReportCommand.UpdateDocs([page], _root, log).ShouldBe(0);

        File.ReadAllText(page).ShouldContain("| initial | 5.0737 | – |");
        log.ToString().ShouldBe($"updated {page}{Environment.NewLine}");
    }

    [Fact]
    public void Report_AsProcess_PrintsTheTableAndNamesAMissingFile()
    {
        var ok = RerankProcess.Run(_root, "report", "out/t", "--markdown", "--columns", "pipeline,hr@1%");
        var missing = RerankProcess.Run(_root, "report", "out/none/results.json", "--markdown");

        ok.ExitCode.ShouldBe(0, ok.Stderr);
        ok.Stdout.ShouldBe("| pipeline | hr@1% |\n|---|---:|\n| initial | 0.2380 |\n", "the evaluator has no hr@1%, so its row is left out");
        missing.ExitCode.ShouldBe(2);
        missing.Stderr.ShouldContain("error: results file not found: out/none/results.json");
    }
}
