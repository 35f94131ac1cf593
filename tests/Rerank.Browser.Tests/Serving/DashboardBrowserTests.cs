using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Rerank.Browser.Tests.Browser;
using Rerank.Browser.Tests.Fakes;
using Rerank.Runtime.Plugins;
using Rerank.Serving;
using Xunit.Abstractions;

namespace Rerank.Browser.Tests.Serving;

/// <summary>
/// <c>rerank serve</c> in-process on a loopback port (Kestrel) with Baselines from the plugins folder and an in-process
/// demo plugin; chromium opens the dashboard, sends a sample request, and reloads with the admin token after a new
/// version of the demo plugin appears.
/// </summary>
public sealed class DashboardBrowserTests : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Token = "dashboard-test-token";
    private const int SplitRequests = 20;

    private readonly BrowserFixture _browser;
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-dashboard-").FullName;
    private volatile string[] _demoVersions = ["1.0.0"];
    private RerankServer? _server;
    private HttpClient? _client;

    public DashboardBrowserTests(BrowserFixture browser, ITestOutputHelper output)
    {
        _browser = browser;
        _output = output;
    }

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(_folder, "cheap.yaml"), "name: cheap\ndescription: cheapest first\nstages:\n  - generate: { use: demo@^1.0/cheapest }\n  - truncate: {}\n");
        File.WriteAllText(Path.Combine(_folder, "mmr.yaml"), "name: mmr\ndescription: prior order diversified by MMR\nstages:\n  - generate: { use: baselines@^1.0/initial }\n  - diversify: { use: baselines@^1.0/mmr, params: { lambda: 0.6 } }\n");
        File.WriteAllText(Path.Combine(_folder, "splits.yaml"), "splits:\n  - name: ab\n    arms:\n      - { pipeline: mmr, weight: 75, name: control }\n      - { pipeline: cheap, weight: 25, name: cheap-first }\n");
        _server = RerankServer.Create(new ServerOptions
        {
            PipelinesFolder = _folder,
            Urls = ["http://127.0.0.1:0"],
            Catalog = Catalog,
            Watch = false,
            AdminToken = Token,
        });
        await _server.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_server.Addresses.Single()) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [BrowserFact]
    public async Task Dashboard_SampleRequestAndReload_ShowListAndNewVersion()
    {
        await SendSplitTrafficAsync();
        var (page, problems) = await _browser.NewPageAsync(1280, 1000);
        await page.GotoAsync(_client!.BaseAddress + "?poll=300");

        // Read-only view: plugins with versions, pipelines as graphs, split arms with weights and live counts.
        await page.Locator("#plugins tr[data-plugin='baselines@1.0.0'][data-status=loaded]").WaitForAsync();
        await page.Locator("#plugins tr[data-plugin='demo@1.0.0']").WaitForAsync();
        (await page.Locator("svg.pipeline-graph").CountAsync()).ShouldBe(2);
        (await page.Locator("svg.pipeline-graph[data-pipeline=mmr] rect.stage").CountAsync()).ShouldBe(2);
        (await page.Locator("table[data-split=ab] tr[data-arm]").CountAsync()).ShouldBe(2);
        (await page.Locator("table[data-split=ab] tr[data-arm=control]").InnerTextAsync()).ShouldContain("75 (75 %)");
        await page.WaitForFunctionAsync($"() => [...document.querySelectorAll('table[data-split=ab] td.arm-count')].reduce((a, td) => a + Number(td.textContent), 0) === {SplitRequests}");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#traffic tr[data-pipeline=mmr] td.requests')?.textContent) > 0");
        (await page.Locator("#traffic tr[data-pipeline=mmr] td.p50").InnerTextAsync()).ShouldNotBe("–");
        (await page.Locator("#reload-button").IsHiddenAsync()).ShouldBeTrue("no reload without the admin token");

        // A sample request to a chosen pipeline: the reranked list beside the initial order.
        await page.SelectOptionAsync("#sample-target", "mmr");
        await page.FillAsync("#sample-n", "10");
        await page.FillAsync("#sample-l", "5");
        await page.ClickAsync("#sample-send");
        await page.Locator("#reranked-list li").Nth(4).WaitForAsync();
        (await page.Locator("#reranked-list li").CountAsync()).ShouldBe(5);
        var initial = await page.Locator("#initial-list li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.id)");
        var reranked = await page.Locator("#reranked-list li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.id)");
        initial.Length.ShouldBe(10);
        reranked.ShouldBeSubsetOf(initial);
        reranked.Distinct().Count().ShouldBe(5);
        (await page.Locator("#sample-meta").InnerTextAsync()).ShouldContain("served by mmr");

        // A wrong token keeps the page read-only; the right one shows the reload button.
        await page.FillAsync("#admin-token", "wrong");
        await page.ClickAsync("#unlock");
        await page.Locator("#reload-result", new() { HasTextString = "token rejected" }).WaitForAsync();
        (await page.Locator("#reload-button").IsHiddenAsync()).ShouldBeTrue();
        await page.FillAsync("#admin-token", Token);
        await page.ClickAsync("#unlock");
        await page.Locator("#reload-button").WaitForAsync(new() { State = WaitForSelectorState.Visible });

        // A new version of the demo plugin appears; reload picks it up and the page shows it.
        _demoVersions = ["1.0.0", "1.1.0"];
        await page.ClickAsync("#reload-button");
        await page.Locator("#reload-result", new() { HasTextString = "reloaded: graph 2" }).WaitForAsync();
        await page.Locator("#plugins tr[data-plugin='demo@1.1.0']").WaitForAsync();
        (await page.Locator("#generation").InnerTextAsync()).ShouldBe("graph 2");
        (await page.Locator("svg.pipeline-graph[data-pipeline=cheap] text.comp").AllTextContentsAsync()).ShouldContain("generator: demo@1.1.0/cheapest");
        await page.SelectOptionAsync("#sample-target", "cheap");
        await page.ClickAsync("#sample-send");
        await page.Locator("#sample-meta", new() { HasTextString = "served by cheap" }).WaitForAsync();
        (await page.Locator("#sample-meta").InnerTextAsync()).ShouldContain("demo@1.1.0");

        var shot = await BrowserFixture.ScreenshotAsync(page, "dashboard");
        _output.WriteLine($"screenshot: {shot}");
        problems.Where(p => !p.Contains("401", StringComparison.Ordinal)).ShouldBeEmpty("only the rejected token's 401 is expected");
    }

    /// <summary>Baselines from the plugins folder plus the demo plugin in its current versions; the server disposes the catalog (unloading the folder's contexts) when it retires a graph.</summary>
    private PluginCatalog Catalog()
    {
        var folderPlugins = new PluginLoader().LoadFolder(RepoPaths.Plugins);
        var demo = PluginCatalog.FromPlugins([.. _demoVersions.Select(v => new CheapestPlugin(v))]);
        return new PluginCatalog([.. folderPlugins.Plugins, .. demo.Plugins]);
    }

    private async Task SendSplitTrafficAsync()
    {
        for (var i = 0; i < SplitRequests; i++)
        {
            var sample = JsonNode.Parse(await _client!.GetStringAsync($"/dashboard/sample?n=8&l=4&seed={i}"))!;
            sample["user_id"] = $"user-{i}";
            using var content = new StringContent(sample.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            using var response = await _client.PostAsync("/v1/pipelines/ab:rerank", content);
            response.EnsureSuccessStatusCode();
        }
    }
}
