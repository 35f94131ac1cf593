using System.Net;
using System.Text.Json.Nodes;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class RerankHandlerTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["order.yaml"] = ServingFixtures.Pipeline("order", "probe@1.0.0/order"),
        ["throwing.yaml"] = ServingFixtures.Pipeline("throwing", "probe@1.0.0/throwing"),
        ["slow.yaml"] = ServingFixtures.Pipeline("slow", "probe@1.0.0/slow"),
        // Tests not about deadlines get a generous one, so a busy machine cannot turn a slow answer into a fallback.
        ["serve.yaml"] = "limits: { deadline_ms: 10000, max_candidates: 20, max_body_bytes: 4096, max_batch_requests: 4 }\n",
    };

    /// <summary>For the deadline test: 500 ms against a stage that sleeps 2 s.</summary>
    private static readonly Dictionary<string, string> DeadlineFiles = new(Files)
    {
        ["serve.yaml"] = "limits: { deadline_ms: 500, max_candidates: 20, max_body_bytes: 4096, max_batch_requests: 4 }\n",
    };

    [Fact]
    public async Task HandleAsync_ValidRequest_ReturnsOrderedIdsWithVersionsAndTimings()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        using var response = await h.PostAsync("/v1/pipelines/order:rerank", ServingFixtures.Request(n: 5, slate: 3));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await ServingFixtures.JsonAsync(response);
        ServingFixtures.Ids(json).ShouldBe(["c0", "c1", "c2"]);
        ((float)json["items"]![0]!["score"]!).ShouldBe(5f);
        ((string)json["pipeline"]!).ShouldBe("order");
        ((string)json["request_id"]!).ShouldBe("r1");
        json["plugins"]!.AsArray().Select(p => (string)p!).ShouldBe(["probe@1.0.0"]);
        ((bool)json["fallback"]!).ShouldBeFalse();
        ((long)json["graph"]!).ShouldBe(1);
        ((int)json["batch_size"]!).ShouldBeGreaterThanOrEqualTo(1);
        json["timings"]!["stages"]!.AsArray().Select(s => (string)s!["stage"]!).ShouldBe(["generate"]);
        ((double)json["timings"]!["total_ms"]!).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task HandleAsync_UnknownPipeline_Returns404NamingWhatIsServed()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        using var response = await h.PostAsync("/v1/pipelines/nope:rerank", ServingFixtures.Request());
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var error = (string)(await ServingFixtures.JsonAsync(response))["error"]!;
        error.ShouldContain("unknown pipeline 'nope'");
        error.ShouldContain("order, slow, throwing");
    }

    [Theory]
    [InlineData("{\"request_id\": \"r\", \"candidates\": [", "malformed JSON at $.candidates")]
    [InlineData("{\"request_id\": \"r\", \"slate_size\": \"three\", \"candidates\": []}", "$.slate_size: expected an integer")]
    [InlineData("{\"request_id\": \"r\", \"slate_sise\": 3, \"candidates\": []}", "unknown field 'slate_sise'")]
    [InlineData("{\"candidates\": [{\"id\": \"a\", \"priors\": [NaN, 1]}], \"slate_size\": 1}", "$.candidates[0].priors (line 1, byte 40)")]
    [InlineData("", "body is empty")]
    [InlineData("{\"request_id\": \"r\", \"slate_size\": 1, \"candidates\": [], \"slate_size\": 3}", "field 'slate_size' is given twice")]
    [InlineData("{\"request_id\": \"r\", \"slate_size\": 1, \"candidates\": [{\"id\": \"a\", \"id\": \"b\"}]}", "$.candidates[0]: field 'id' is given twice")]
    public async Task HandleAsync_MalformedJson_Returns400NamingTheField(string body, string expected)
    {
        await using var h = await ServingHarness.StartAsync(Files);
        using var response = await h.PostRawAsync("/v1/pipelines/order:rerank", body);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ((string)(await ServingFixtures.JsonAsync(response))["error"]!).ShouldContain(expected);
    }

    [Fact]
    public async Task HandleAsync_InvalidRequests_Return400NamingTheField()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        var nan = ServingFixtures.Request();
        nan["candidates"]![1]!["priors"] = new JsonArray("NaN", 0.1f);
        var infinite = ServingFixtures.Request();
        infinite["candidates"]![2]!["embedding"] = new JsonArray([.. Enumerable.Range(0, 16).Select(i => (JsonNode)(i == 3 ? "Infinity" : 0.5f))]);
        var duplicate = ServingFixtures.Request(candidateId: i => i == 3 ? "c1" : "c" + i);
        var tooLong = ServingFixtures.Request(n: 3, slate: 4);
        var empty = ServingFixtures.Request(n: 0, slate: 1);
        var missing = ServingFixtures.Request();
        missing.Remove("slate_size");
        var many = ServingFixtures.Request(n: 21, slate: 3);
        var badCategory = ServingFixtures.Request();
        badCategory["candidates"]![0]!["categorical"] = new JsonArray(1, 64);
        var cases = new (JsonObject Body, string Expected)[]
        {
            (nan, "candidates[1] (id 'c1'): priors[0] is NaN"),
            (infinite, "candidates[2] (id 'c2'): embedding[3] is Infinity"),
            (duplicate, "duplicate candidate id 'c1' at candidates[3]"),
            (tooLong, "slate_size L = 4 exceeds the number of candidates N = 3"),
            (empty, "candidates is empty"),
            (missing, "slate_size is required"),
            (many, "candidates has 21 items; the limit is 20"),
            (badCategory, "candidates[0]: categorical[1] (category) is 64; it must be in [0, 64)"),
        };
        foreach (var (body, expected) in cases)
        {
            using var response = await h.PostAsync("/v1/pipelines/order:rerank", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, expected);
            ((string)(await ServingFixtures.JsonAsync(response))["error"]!).ShouldContain(expected);
        }
    }

    [Fact]
    public async Task HandleAsync_BodyOverLimit_Returns413()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        using var response = await h.PostAsync("/v1/pipelines/order:rerank", ServingFixtures.Request(id: new string('x', 5000)));
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        ((string)(await ServingFixtures.JsonAsync(response))["error"]!).ShouldContain("the limit is 4096");
    }

    [Fact]
    public async Task HandleAsync_StreamedBodyOverLimit_Returns413()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        var bytes = System.Text.Encoding.UTF8.GetBytes(ServingFixtures.Request(id: new string('x', 5000)).ToJsonString());
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;
        using var response = await h.Client.PostAsync("/v1/pipelines/order:rerank", content);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        ((string)(await ServingFixtures.JsonAsync(response))["error"]!).ShouldContain("body exceeds the limit of 4096 bytes");
    }

    [Fact]
    public async Task HandleAsync_StageThrows_ServesInitialOrderWithFallbackAndCountsIt()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        using var response = await h.PostAsync("/v1/pipelines/throwing:rerank", ServingFixtures.Request(n: 4, slate: 3, candidateId: i => "boom" + i));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await ServingFixtures.JsonAsync(response);
        ((bool)json["fallback"]!).ShouldBeTrue();
        ((string)json["fallback_reason"]!).ShouldContain("a candidate is named boom");
        ServingFixtures.Ids(json).ShouldBe(["boom3", "boom2", "boom1"]);
        h.Runtime.Metrics.Fallbacks.Value("throwing", "error").ShouldBe(1);
    }

    [Fact]
    public async Task HandleAsync_StageMissesDeadline_ServesFallbackWithDeadlineReason()
    {
        await using var h = await ServingHarness.StartAsync(DeadlineFiles);
        using var response = await h.PostAsync("/v1/pipelines/slow:rerank", ServingFixtures.Request(n: 4, slate: 2, user: "slow"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await ServingFixtures.JsonAsync(response);
        ((bool)json["fallback"]!).ShouldBeTrue();
        ((string)json["fallback_reason"]!).ShouldContain("deadline exceeded");
        ServingFixtures.Ids(json).ShouldBe(["c3", "c2"]);
        ((double)json["timings"]!["total_ms"]!).ShouldBeLessThan(1800);
        h.Runtime.Metrics.Fallbacks.Value("slow", "deadline").ShouldBe(1);
    }

    [Fact]
    public async Task HandleAsync_Batch_AnswersEveryRequestInOrderAndIsolatesFailures()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        var body = new JsonObject
        {
            ["requests"] = new JsonArray(
                ServingFixtures.Request(id: "a"),
                ServingFixtures.Request(id: "b", candidateId: i => "boom" + i),
                ServingFixtures.Request(id: "c")),
        };
        using var response = await h.PostAsync("/v1/pipelines/throwing:rerank-batch", body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var responses = (await ServingFixtures.JsonAsync(response))["responses"]!.AsArray();
        responses.Select(r => (string)r!["request_id"]!).ShouldBe(["a", "b", "c"]);
        responses.Select(r => (bool)r!["fallback"]!).ShouldBe([false, true, false]);
    }

    [Fact]
    public async Task HandleAsync_BatchWithInvalidRequest_Returns400NamingTheIndex()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        var body = new JsonObject { ["requests"] = new JsonArray(ServingFixtures.Request(id: "a"), ServingFixtures.Request(id: "b", n: 2, slate: 3)) };
        using var response = await h.PostAsync("/v1/pipelines/order:rerank-batch", body);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ((string)(await ServingFixtures.JsonAsync(response))["error"]!).ShouldContain("requests[1]");
    }

    [Fact]
    public async Task HandleAsync_UnknownMethod_Returns404()
    {
        await using var h = await ServingHarness.StartAsync(Files);
        using var response = await h.PostAsync("/v1/pipelines/order:predict", ServingFixtures.Request());
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        ((string)(await ServingFixtures.JsonAsync(response))["error"]!).ShouldContain(":rerank-batch");
    }
}
