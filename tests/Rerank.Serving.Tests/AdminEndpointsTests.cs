using System.Net;
using System.Net.Http.Headers;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class AdminEndpointsTests
{
    private static readonly Dictionary<string, string> Files = new() { ["order.yaml"] = ServingFixtures.Pipeline("order", "probe@1.0.0/order") };

    [Fact]
    public async Task Endpoints_NoTokenConfigured_AreOff()
    {
        await using var h = await ServingHarness.StartAsync(Files, adminToken: null);
        h.Server.Admin.Enabled.ShouldBeFalse();
        (await h.Client.PostAsync("/admin/reload", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await h.Client.GetAsync("/admin/plugins")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        h.Runtime.Current!.Generation.ShouldBe(1);
    }

    [Fact]
    public async Task Endpoints_WrongOrMissingToken_Return401()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        h.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        var response = await h.Client.PostAsync("/admin/reload", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        h.Client.DefaultRequestHeaders.Authorization = null;
        (await h.Client.GetAsync("/admin/plugins")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        h.Runtime.Current!.Generation.ShouldBe(1);
    }

    [Fact]
    public async Task PluginsAsync_WithToken_ListsPluginsPipelinesAndReloads()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        using var response = await h.Client.GetAsync("/admin/plugins");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await ServingFixtures.JsonAsync(response);
        ((long)json["generation"]!).ShouldBe(1);
        json["plugins"]!.AsArray().Select(p => $"{p!["id"]}@{p["version"]}").ShouldBe(["probe@1.0.0", "probe@1.1.0"]);
        json["plugins"]![0]!["components"]!.AsArray().Select(c => (string)c!).ShouldContain("generator/order");
        var pipeline = json["pipelines"]![0]!;
        ((string)pipeline["name"]!).ShouldBe("order");
        ((string)pipeline["stages"]![0]!).ShouldContain("probe@1.0.0/order");
        ((int)pipeline["max_batch_size"]!).ShouldBe(32);
        ((bool)json["last_reload"]!["ok"]!).ShouldBeTrue();
        ((string)json["last_reload"]!["trigger"]!).ShouldBe("startup");
    }

    [Fact]
    public async Task ReloadAsync_BrokenYaml_KeepsOldGraphServingAndReportsTheError()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        File.WriteAllText(Path.Combine(h.Folder, "order.yaml"), ServingFixtures.Pipeline("order", "probe@1.0.0/missing"));
        using var reload = await h.Client.PostAsync("/admin/reload", null);
        reload.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var result = await ServingFixtures.JsonAsync(reload);
        ((bool)result["ok"]!).ShouldBeFalse();
        ((string)result["error"]!).ShouldContain("order.yaml:3:");
        ((string)result["error"]!).ShouldContain("has no generator 'missing'");
        using var rerank = await h.PostAsync("/v1/pipelines/order:rerank", ServingFixtures.Request());
        rerank.StatusCode.ShouldBe(HttpStatusCode.OK);
        ((long)(await ServingFixtures.JsonAsync(rerank))["graph"]!).ShouldBe(1);
        var status = await ServingFixtures.JsonAsync(await h.Client.GetAsync("/admin/plugins"));
        ((bool)status["last_reload"]!["ok"]!).ShouldBeFalse();
        ((string)status["last_reload"]!["error"]!).ShouldContain("has no generator 'missing'");
        h.Runtime.Metrics.Reloads.Value("failed").ShouldBe(1);
    }
}
