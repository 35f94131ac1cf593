using System.Net;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class ProtocolEndpointsTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["order.yaml"] = ServingFixtures.Pipeline("order", "probe@1.0.0/order"),
        ["order-next.yaml"] = ServingFixtures.Pipeline("order-next", "probe@1.1.0/order"),
        ["splits.yaml"] = "splits:\n  - name: order-ab\n    arms:\n      - { pipeline: order, weight: 90 }\n      - { pipeline: order-next, weight: 10 }\n",
    };

    [Fact]
    public async Task Health_LoadedGraph_IsLiveAndReady()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        using var live = await h.Client.GetAsync("/v2/health/live");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        ((bool)(await ServingFixtures.JsonAsync(live))["live"]!).ShouldBeTrue();
        using var ready = await h.Client.GetAsync("/v2/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        ((bool)(await ServingFixtures.JsonAsync(ready))["ready"]!).ShouldBeTrue();
    }

    [Fact]
    public async Task Health_NoPipelines_IsLiveButNotReady()
    {
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string>());
        (await h.Client.GetAsync("/v2/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await h.Client.GetAsync("/v2/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task ModelAsync_PipelineAndSplit_DescribeSchemaAndPlugins()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        using var model = await h.Client.GetAsync("/v2/models/order");
        model.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await ServingFixtures.JsonAsync(model);
        ((string)json["name"]!).ShouldBe("order");
        ((string)json["platform"]!).ShouldBe("rerank-pipeline:probe@1.0.0");
        var inputs = json["inputs"]!.AsArray().ToDictionary(i => (string)i!["name"]!, i => i!);
        inputs.Keys.ShouldBe(["user_id", "user_segment", "item_id", "category", "log_price", "priors", "embedding", "price", "slate_size"], ignoreOrder: true);
        ((string)inputs["log_price"]["datatype"]!).ShouldBe("FP32");
        inputs["embedding"]["shape"]!.AsArray().Select(s => (long)s!).ShouldBe([-1L, 16L]);
        using var split = await h.Client.GetAsync("/v2/models/order-ab");
        ((string)(await ServingFixtures.JsonAsync(split))["platform"]!).ShouldBe("rerank-split:order=order,order-next=order-next");
    }

    [Fact]
    public async Task ModelReadyAsync_UnknownModel_Returns404()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        (await h.Client.GetAsync("/v2/models/order/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await h.Client.GetAsync("/v2/models/order-ab/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await h.Client.GetAsync("/v2/models/missing/ready")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var missing = await h.Client.GetAsync("/v2/models/missing");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        ((string)(await ServingFixtures.JsonAsync(missing))["error"]!).ShouldContain("order, order-ab, order-next");
    }

    [Fact]
    public async Task MetricsAsync_AfterTraffic_ExposesPerPipelineFamiliesInPrometheusText()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        (await h.PostAsync("/v1/pipelines/order:rerank", ServingFixtures.Request())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await h.PostAsync("/v1/pipelines/order:rerank", ServingFixtures.Request(n: 2, slate: 3))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var response = await h.Client.GetAsync("/metrics");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("# TYPE rerank_requests_total counter");
        text.ShouldContain("rerank_requests_total{pipeline=\"order\"} 1");
        text.ShouldContain("rerank_errors_total{pipeline=\"order\",code=\"400\"} 1");
        text.ShouldContain("# TYPE rerank_request_duration_seconds histogram");
        text.ShouldContain("rerank_request_duration_seconds_bucket{pipeline=\"order\",le=\"+Inf\"} 1");
        text.ShouldContain("rerank_request_duration_seconds_count{pipeline=\"order\"} 1");
        text.ShouldContain("rerank_batch_size_bucket{pipeline=\"order\",le=\"1\"} 1");
        text.ShouldContain("rerank_graph_generation 1");
        text.ShouldContain("rerank_pipelines 2");
    }
}
