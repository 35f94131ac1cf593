using Microsoft.Playwright;
using Rerank.Abstractions;
using Rerank.Browser.Tests.Browser;
using Rerank.Browser.Tests.Fakes;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Reports;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Plugins;
using Xunit.Abstractions;

namespace Rerank.Browser.Tests.Reports;

/// <summary>A small experiment run in-process writes report.html; chromium opens it and every chart shows its data.</summary>
public sealed class ReportPageBrowserTests : IClassFixture<BrowserFixture>, IDisposable
{
    private const string Experiment = """
        name: browser-report
        seed: 20261124
        dataset:
          type: simulator
          params: { candidates: 8, slate_size: 4, train_requests: 300, validation_requests: 100, test_requests: 120 }
        evaluation:
          batch_size: 32
          latency_requests: 60
          warmup_requests: 5
          hit_rate_lists: 1000
          oracle: auto
        pipelines:
          - name: initial
            stages: [ { generate: { use: baselines@^1.0/initial } }, { truncate: {} } ]
          - name: random
            stages: [ { generate: { use: baselines@^1.0/random } } ]
          - name: mmr
            stages:
              - generate: { use: baselines@^1.0/initial }
              - diversify: { use: baselines@^1.0/mmr, params: { lambda: 0.7 } }
          - name: beam-oracle
            stages:
              - generate: { scorer: baselines@^1.0/oracle, decoder: { use: baselines@^1.0/beam, params: { width: 4 } } }
          - name: logit
            stages: [ { generate: { use: toy@^1.0/logit } }, { truncate: {} } ]
        """;

    private static readonly string[] Pipelines = ["initial", "random", "mmr", "beam-oracle", "logit"];

    private readonly BrowserFixture _browser;
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-report-browser-").FullName;

    public ReportPageBrowserTests(BrowserFixture browser, ITestOutputHelper output)
    {
        _browser = browser;
        _output = output;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [BrowserFact]
    public async Task Report_SmallExperiment_EveryChartShowsItsData()
    {
        var report = RunExperiment();
        var (page, problems) = await _browser.NewPageAsync();

        await page.GotoAsync(new Uri(report).AbsoluteUri);

        (await page.TitleAsync()).ShouldBe("browser-report · rerank report");
        (await page.Locator("svg[data-chart=utility] rect.bar").CountAsync()).ShouldBe(Pipelines.Length);
        (await page.Locator("svg[data-chart=optimum] rect.bar").CountAsync()).ShouldBe(Pipelines.Length * 4, "HR@1/3/10% and the oracle ratio per pipeline");
        (await page.Locator("svg[data-chart=optimum] line.reference").CountAsync()).ShouldBe(1);
        (await page.Locator("svg[data-chart=training] path.series-line").CountAsync()).ShouldBe(2, "train and validation loss of toy/logit");
        (await page.Locator("svg[data-chart=training] circle.point").CountAsync()).ShouldBe(16, "8 epochs, train and validation");
        (await page.Locator("svg[data-chart=latency] rect.box").CountAsync()).ShouldBe(Pipelines.Length);
        (await page.Locator("svg[data-chart=graph]").CountAsync()).ShouldBe(Pipelines.Length);
        (await page.Locator("article.pipeline[data-pipeline=mmr] rect.stage").CountAsync()).ShouldBe(2);
        (await page.Locator("table.dataset tbody tr").CountAsync()).ShouldBeGreaterThan(5);
        (await page.Locator("text.empty").CountAsync()).ShouldBe(0, "no chart is empty");
        await ShouldBeDrawn(page, "svg.chart");
        await ShouldBeDrawn(page, "svg[data-chart=utility] rect.bar");
        (await page.Locator("svg[data-chart=graph] text.stage-component").AllTextContentsAsync()).ShouldContain(t => t.Contains("baselines@1.0.0/mmr", StringComparison.Ordinal));

        var shot = await BrowserFixture.ScreenshotAsync(page, "report");
        _output.WriteLine($"screenshot: {shot}");
        problems.ShouldBeEmpty();
    }

    /// <summary>Every element the selector matches has a rendered box of positive width and height.</summary>
    private static async Task ShouldBeDrawn(IPage page, string selector)
    {
        var boxes = await page.Locator(selector).EvaluateAllAsync<double[][]>("els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })");
        boxes.ShouldNotBeEmpty();
        boxes.ShouldAllBe(b => b[0] > 0 && b[1] > 0, $"every '{selector}' is drawn");
    }

    private string RunExperiment()
    {
        var path = Path.Combine(_folder, "experiment.yaml");
        File.WriteAllText(path, Experiment);
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(path, errors);
        errors.ShouldBeEmpty(string.Join("\n", errors));
        using var folderPlugins = new PluginLoader().LoadFolder(RepoPaths.Plugins);
        var catalog = new PluginCatalog([.. folderPlugins.Plugins, .. PluginCatalog.FromPlugins(new LogitPlugin()).Plugins]);
        var result = new ExperimentRunner(catalog, SilentReporter.Instance).Run(spec!, _folder);
        var curve = result.Training.ShouldHaveSingleItem();
        curve.Epochs.Count.ShouldBe(8);
        curve.Epochs[^1].Train.ShouldBeLessThan(curve.Epochs[0].Train, "the toy model learns");
        var utility = result.Rows.ToDictionary(r => r.Pipeline, r => r["utility"]!.Value);
        utility["logit"].ShouldBeGreaterThan(utility["random"], "ordering by the fitted click model beats random slates");
        ResultWriters.WriteAll(result, _folder);
        return Path.Combine(_folder, ReportPage.FileName);
    }
}
