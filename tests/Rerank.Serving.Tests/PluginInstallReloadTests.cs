using System.Net;
using Rerank.Runtime.Plugins;
using Rerank.Runtime.Plugins.Inspection;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

/// <summary>
/// Issue #18 item 5: <c>rerank plugins install</c> into the plugins folder a server is serving; after a reload (the
/// endpoint, or the file watcher) the new plugin's component serves, and the install's staging folder never counts.
/// </summary>
public sealed class PluginInstallReloadTests : IDisposable
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["initial.yaml"] = ServingFixtures.Pipeline("initial", "baselines/initial"),
        ["greet.yaml"] = ServingFixtures.Pipeline("greet", "greeter@^1/greet"),
    };

    private readonly TempFolder _temp = new();
    private readonly string _plugins;
    private readonly string _package;

    public PluginInstallReloadTests()
    {
        _temp.CopyFrom(Path.Combine(RepoPaths.Root, "artifacts", "plugins", "baselines", "1.0.0"), Path.Combine("plugins", "baselines", "1.0.0"));
        _plugins = Path.Combine(_temp.Path, "plugins");
        _package = FixturePlugins.Package(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine(_temp.Path, "greeter.1.0.0.nupkg"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Install_ThenAdminReload_ServesTheNewPluginsComponent()
    {
        await using var h = await StartAsync();
        (await h.PostAsync("/v1/pipelines/greet:rerank", ServingFixtures.Request())).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

        var installed = PluginInstaller.Install(_package, _plugins, force: false);
        var reload = await h.ReloadAsync();

        installed.Folder.ShouldBe(Path.Combine(_plugins, "greeter", "1.0.0"));
        ((bool)reload["ok"]!).ShouldBeTrue(reload.ToJsonString());
        await AssertGreetServesAsync(h, generation: 2);
    }

    [Fact]
    public async Task Install_WhileWatching_ReloadsOnceInPlaceAndServesIt()
    {
        await using var h = await StartAsync();
        h.Runtime.Watch(_plugins, TimeSpan.FromMilliseconds(200));

        PluginInstaller.Install(_package, _plugins, force: false);

        for (var waited = 0; h.Runtime.Current!.NotReadyNamed("greet") is not null && waited < 200; waited++)
        {
            await Task.Delay(100);
        }

        h.Runtime.Current!.NotReadyNamed("greet").ShouldBeNull("the watcher should have reloaded after the install");
        await AssertGreetServesAsync(h, h.Runtime.Current.Generation);
        h.Runtime.History.Where(r => r.Trigger == "file change").ShouldAllBe(r => r.Ok);
    }

    private Task<ServingHarness> StartAsync() =>
        ServingHarness.StartAsync(Files, catalog: () => new PluginLoader().LoadFolder(_plugins));

    private static async Task AssertGreetServesAsync(ServingHarness h, long generation)
    {
        using var response = await h.PostAsync("/v1/pipelines/greet:rerank", ServingFixtures.Request(n: 4, slate: 4));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var json = await ServingFixtures.JsonAsync(response);
        ((long)json["graph"]!).ShouldBe(generation);
        ServingFixtures.Ids(json).ShouldBe(["c0", "c1", "c2", "c3"], "greeter 1.0.0 keeps the initial order");
    }
}
