using Rerank.Cli.Reports;

namespace Rerank.Cli.Tests.Reports;

/// <summary>Marked tables in a Markdown page rewritten from a results.json; everything else untouched; clear errors.</summary>
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
    public void Rewrite_NoColumns_PipelineAndEveryMetric()
    {
        var errors = new List<string>();

        var text = DocTables.Rewrite("<!-- results: out/t -->\n<!-- /results -->\n", "page.md", _root, errors);

        errors.ShouldBeEmpty();
        text.ShouldStartWith("<!-- results: out/t -->\n| pipeline | utility | hr@1% | pcoc |\n|---|---:|---:|---:|\n| initial | 5.0737 | 0.2380 | – |\n");
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
        ok.Stdout.ShouldBe("| pipeline | hr@1% |\n|---|---:|\n| initial | 0.2380 |\n| evaluator: sort | – |\n");
        missing.ExitCode.ShouldBe(2);
        missing.Stderr.ShouldContain("error: results file not found: out/none/results.json");
    }
}
