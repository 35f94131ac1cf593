using System.Net;
using System.Text.Json.Nodes;
using Rerank.Serving.Dashboard;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class DashboardEndpointsTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["a.yaml"] = ServingFixtures.Pipeline("a", "probe@1.0.0/order"),
        ["b.yaml"] = ServingFixtures.Pipeline("b", "probe@1.1.0/order"),
        ["splits.yaml"] = "splits:\n  - name: ab\n    arms:\n      - { pipeline: a, weight: 3 }\n      - { pipeline: b, weight: 1, name: canary }\n",
    };

    [Fact]
    public async Task Page_Root_IsTheSelfContainedDashboard()
    {
        await using var serving = await ServingHarness.StartAsync(Files);
        serving.Client.DefaultRequestHeaders.Authorization = null;

        using var response = await serving.Client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(DashboardEndpoints.ContentSecurityPolicy);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldNotContain("src=", Case.Insensitive);
        html.ShouldNotContain("<link", Case.Insensitive);
        html.ShouldNotContain("innerHTML", Case.Sensitive);
        html.ShouldContain("<button id=\"reload-button\" type=\"button\" hidden>", customMessage: "reload starts hidden: read-only until a token is accepted");
    }

    [Fact]
    public async Task Status_WithoutToken_ListsPluginsPipelinesAndSplits()
    {
        await using var serving = await ServingHarness.StartAsync(Files);
        serving.Client.DefaultRequestHeaders.Authorization = null;

        using var response = await serving.Client.GetAsync("/dashboard/status");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var status = await ServingFixtures.JsonAsync(response);
        ((long)status["generation"]!).ShouldBe(1);
        ((bool)status["admin"]!).ShouldBeTrue();
        status["plugins"]!.AsArray().Select(p => $"{p!["id"]}@{p["version"]}").ShouldBe(["probe@1.0.0", "probe@1.1.0"]);
        var b = status["pipelines"]!.AsArray().Single(p => (string?)p!["name"] == "b")!;
        b["stages"]![0]!["kind"]!.GetValue<string>().ShouldBe("generate");
        b["stages"]![0]!["components"]![0]!["reference"]!.GetValue<string>().ShouldBe("probe@1.1.0/order");
        var arms = status["splits"]![0]!["arms"]!.AsArray();
        arms.Select(a => ((string)a!["name"]!, (double)a["weight"]!)).ShouldBe([("a", 3.0), ("canary", 1.0)]);
        status.ToJsonString().ShouldNotContain(serving.Folder, customMessage: "no folders without the token");
    }

    [Fact]
    public async Task Status_AdminOff_SaysSo()
    {
        await using var serving = await ServingHarness.StartAsync(Files, adminToken: "");

        var status = await ServingFixtures.JsonAsync(await serving.Client.GetAsync("/dashboard/status"));

        ((bool)status["admin"]!).ShouldBeFalse();
    }

    [Fact]
    public async Task Sample_Query_IsAValidRequestInCtrOrder()
    {
        await using var serving = await ServingHarness.StartAsync(Files);

        var sample = await ServingFixtures.JsonAsync(await serving.Client.GetAsync("/dashboard/sample?n=7&l=3&seed=5"));

        var candidates = sample["candidates"]!.AsArray();
        candidates.Count.ShouldBe(7);
        ((int)sample["slate_size"]!).ShouldBe(3);
        var ctr = candidates.Select(c => (double)c!["priors"]![0]!).ToList();
        ctr.ShouldBe([.. ctr.OrderByDescending(x => x)]);
        using var answer = await serving.PostAsync("/v1/pipelines/ab:rerank", sample);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        ServingFixtures.Ids(await ServingFixtures.JsonAsync(answer)).Length.ShouldBe(3);
    }

    [Fact]
    public async Task Sample_SameSeed_IsTheSameRequest()
    {
        await using var serving = await ServingHarness.StartAsync(Files);

        var first = await serving.Client.GetStringAsync("/dashboard/sample?seed=9");
        var second = await serving.Client.GetStringAsync("/dashboard/sample?seed=9");

        second.ShouldBe(first);
        JsonNode.Parse(first)!["candidates"]!.AsArray().Count.ShouldBe(12);
    }

    [Theory]
    [InlineData("n=0", "query 'n' must be an integer from 1 to 200, got '0'")]
    [InlineData("n=abc", "query 'n' must be an integer from 1 to 200, got 'abc'")]
    [InlineData("n=4&l=5", "l = 5 exceeds n = 4: a slate cannot be longer than its candidates")]
    [InlineData("seed=-1", "query 'seed' must be an integer from 0 to 2147483647, got '-1'")]
    public async Task Sample_BadQuery_Is400NamingIt(string query, string error)
    {
        await using var serving = await ServingHarness.StartAsync(Files);

        using var response = await serving.Client.GetAsync("/dashboard/sample?" + query);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ((string)(await ServingFixtures.JsonAsync(response))["error"]!).ShouldBe(error);
    }
}
