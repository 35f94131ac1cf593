using System.Text.RegularExpressions;
using Rerank.Evaluation.Metrics;
using Rerank.Evaluation.Reports;
using Rerank.Evaluation.Results;

namespace Rerank.Evaluation.Tests.Reports;

public sealed class ReportPageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal static ExperimentResult Sample(string firstPipeline = "initial") => new(
        "demo",
        [new("type", "simulator"), new("candidates", 12), new("weights", new[] { 1.0, 0.5 })],
        [
            Row(firstPipeline, 0.74, 0.19, 0.38, 0.67, 0.82),
            Row("beam-oracle", 0.91, 1, 1, 1, 0.997),
            new ResultRow("evaluator: truth", [new("auc", null), new("r_auc", 0.6)]),
        ],
        new Dictionary<string, string>
        {
            [firstPipeline] = $"pipeline {firstPipeline}\n  1. generate: generator=baselines@1.0.0/initial (count 1)\n  2. truncate (size L)\n",
            ["beam-oracle"] = "pipeline beam-oracle\n  1. generate: scorer=baselines@1.0.0/oracle, decoder=baselines@1.0.0/beam (count 1)\n",
        },
        new Dictionary<string, double[]> { [firstPipeline] = [0.003, 0.004, 0.005], ["beam-oracle"] = [0.09, 0.1, 0.14] },
        new Dictionary<string, IReadOnlyList<KeyValuePair<string, double>>> { [firstPipeline] = [new("1. generate", 0.87), new("2. truncate", 0.13)] },
        [new TrainingCurve("toy@1.0.0/logit", [(1, 0.69, 0.7), (2, 0.5, 0.55), (3, 0.45, null)], 1.25)]);

    private static ResultRow Row(string name, double utility, double hr1, double hr3, double hr10, double ratio) =>
        new(name, [new("utility", utility), new("hr@1%", hr1), new("hr@3%", hr3), new("hr@10%", hr10), new("oracle_ratio", ratio), new("ild", 0.7), new("latency_p50_ms", 0.004), new("latency_p99_ms", 0.005)]);

    [Fact]
    public void Render_Sample_HasEveryChart()
    {
        var html = ReportPage.Render(Sample());

        Count(html, "data-chart=\"utility\"").ShouldBe(1);
        Count(html, "data-chart=\"optimum\"").ShouldBe(1);
        Count(html, "data-chart=\"training\"").ShouldBe(1);
        Count(html, "data-chart=\"latency\"").ShouldBe(1);
        Count(html, "data-chart=\"graph\"").ShouldBe(2);
        Count(html, "class=\"bar\"").ShouldBe(2 + (2 * 4), "utility for 2 pipelines, then HR@1/3/10% and oracle ratio for each");
        Count(html, "class=\"series-line\"").ShouldBe(2);
        html.ShouldContain("exhaustive optimum = 1");
        html.ShouldContain("highest expected utility: beam-oracle (0.91, 99.7 % of the exhaustive optimum)");
    }

    [Fact]
    public void Render_Sample_IsSelfContained()
    {
        var html = ReportPage.Render(Sample());

        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("<link", Case.Insensitive);
        Regex.Matches(html, "(?:src|href)=\"(?!#)").ShouldBeEmpty("every link is an in-page anchor; nothing is fetched");
    }

    [Fact]
    public void Render_EvaluatorRows_AreInTheTableButNotTheCharts()
    {
        var html = ReportPage.Render(Sample());

        html.ShouldContain("<th scope=\"row\">evaluator: truth</th>");
        html.ShouldNotContain("data-category=\"evaluator: truth\"");
    }

    [Fact]
    public void Render_DatasetParameters_AreListed()
    {
        var html = ReportPage.Render(Sample());

        html.ShouldContain("<th scope=\"row\">candidates</th><td>12</td>");
        html.ShouldContain("<th scope=\"row\">weights</th><td>[1, 0.5]</td>");
    }

    [Fact]
    public void Render_MarkupInAPipelineName_IsEscapedEverywhere()
    {
        var html = ReportPage.Render(Sample("<img src=x onerror=alert(1)>"));

        html.ShouldNotContain("<img");
        html.ShouldContain("&lt;img src=x onerror=alert(1)&gt;");
    }

    [Fact]
    public void Render_NothingTrained_SaysSo()
    {
        var html = ReportPage.Render(Sample() with { Training = [] });

        html.ShouldContain("No component was trained in this run");
        Count(html, "data-chart=\"training\"").ShouldBe(0);
    }

    [Fact]
    public void Render_NoRows_StillRendersWithNoDataCharts()
    {
        var empty = new ExperimentResult("e", [], [], new Dictionary<string, string>(), new Dictionary<string, double[]>(), new Dictionary<string, IReadOnlyList<KeyValuePair<string, double>>>(), []);

        var html = ReportPage.Render(empty);

        Count(html, ">no data<").ShouldBe(3);
        html.ShouldContain("0 pipelines compared.");
    }

    [Fact]
    public void Render_FailedPipeline_StatusColumnAndErrorButNoBar()
    {
        var sample = Sample();
        var html = ReportPage.Render(sample with { Rows = [.. sample.Rows, ResultRow.Failed("broken", "pipeline 'broken', stage 1: InvalidOperationException: <boom>")] });

        html.ShouldContain("<th>status</th>");
        html.ShouldContain("<th scope=\"row\">broken</th><td>failed</td><td>pipeline &#39;broken&#39;, stage 1: InvalidOperationException: &lt;boom&gt;</td>");
        html.ShouldContain("; 1 failed (see Failed below).");
        html.ShouldNotContain("data-category=\"broken\"");
        Count(html, "class=\"bar\"").ShouldBe(2 + (2 * 4), "the failed pipeline has no bars");
    }

    [Fact]
    public void WriteAll_Result_WritesReportBesideResultsJson()
    {
        var files = ResultWriters.WriteAll(Sample(), _folder);

        files.ShouldContain(Path.Combine(_folder, "report.html"));
        File.ReadAllText(Path.Combine(_folder, "report.html")).ShouldStartWith("<!DOCTYPE html>");
        Directory.GetFiles(_folder, "*.tmp").ShouldBeEmpty();
    }

    private static int Count(string text, string needle) => Regex.Matches(text, Regex.Escape(needle)).Count;

    [Fact]
    public void Render_SeedsAndComparison_ErrorBarsAndGreyNotSignificantDifferences()
    {
        var sample = Sample();
        var rows = sample.Rows.ToList();
        rows[0] = rows[0] with { Std = [.. rows[0].Metrics.Select(m => new KeyValuePair<string, double?>(m.Key, 0.01))] };
        rows[1] = rows[1] with
        {
            Std = [.. rows[1].Metrics.Select(m => new KeyValuePair<string, double?>(m.Key, 0.02))],
            Differences = [new MetricDifference("initial", "utility", new BootstrapInterval(0.17, 0.15, 0.19, 1000)), new MetricDifference("initial", "ild", new BootstrapInterval(0.01, -0.02, 0.04, 1000))],
        };

        var html = ReportPage.Render(sample with { Rows = rows, Seeds = [1, 2, 3], Comparison = new Comparison(["initial"], 1000, 0.95) });

        html.ShouldContain("error bars ± one standard deviation over seeds");
        Regex.Count(html, "class=\"error-bar\"").ShouldBe(2 + 8 + 1, "utility bars, HR and ratio bars, one difference");
        html.ShouldContain("data-chart=\"difference\"");
        html.ShouldContain("<td>+0.1700 [+0.1500, +0.1900]</td>");
        html.ShouldContain("<td class=\"ns\">+0.0100 [-0.0200, +0.0400] n.s.</td>");
        html.ShouldContain("0.7400 ± 0.0100");
    }

    [Fact]
    public void Render_TwoReferences_ASectionAndChartPerReference()
    {
        var sample = Sample();
        var rows = sample.Rows.ToList();
        var references = new[] { rows[0].Pipeline, rows[1].Pipeline };
        rows[0] = rows[0] with { Differences = [new MetricDifference(references[1], "utility", new BootstrapInterval(-0.17, -0.19, -0.15, 1000))] };
        rows[1] = rows[1] with { Differences = [new MetricDifference(references[0], "utility", new BootstrapInterval(0.17, 0.15, 0.19, 1000))] };

        var html = ReportPage.Render(sample with { Rows = rows, Comparison = new Comparison(references, 1000, 0.95) });

        html.ShouldContain($"<h3 id=\"difference-1\">Difference to {references[0]}</h3>");
        html.ShouldContain($"<h3 id=\"difference-2\">Difference to {references[1]}</h3>");
        html.ShouldContain("data-chart=\"difference-1\"");
        html.ShouldContain("data-chart=\"difference-2\"");
        html.ShouldContain("<td>-0.1700 [-0.1900, -0.1500]</td>");
        html.ShouldNotContain("id=\"difference\"");
    }
}
