using Rerank.Serving.Metrics;

namespace Rerank.Serving.Tests;

public sealed class ServingMetricsTests
{
    [Fact]
    public void Render_CountersAndHistograms_FollowThePrometheusTextFormat()
    {
        var metrics = new ServingMetrics();
        metrics.Requests.Increment("a\"b");
        metrics.Requests.Increment("a\"b");
        metrics.Latency.Observe(0.003, "p");
        metrics.Latency.Observe(0.3, "p");
        metrics.ObserveBatch("p", 5);
        var text = metrics.Render(3, 2);
        text.ShouldContain("# HELP rerank_requests_total ");
        text.ShouldContain("rerank_requests_total{pipeline=\"a\\\"b\"} 2\n");
        text.ShouldContain("rerank_request_duration_seconds_bucket{pipeline=\"p\",le=\"0.0025\"} 0\n");
        text.ShouldContain("rerank_request_duration_seconds_bucket{pipeline=\"p\",le=\"0.005\"} 1\n");
        text.ShouldContain("rerank_request_duration_seconds_bucket{pipeline=\"p\",le=\"0.5\"} 2\n");
        text.ShouldContain("rerank_request_duration_seconds_bucket{pipeline=\"p\",le=\"+Inf\"} 2\n");
        text.ShouldContain("rerank_request_duration_seconds_sum{pipeline=\"p\"} 0.303\n");
        text.ShouldContain("rerank_batch_size_bucket{pipeline=\"p\",le=\"4\"} 0\n");
        text.ShouldContain("rerank_batch_size_bucket{pipeline=\"p\",le=\"8\"} 1\n");
        text.ShouldContain("rerank_graph_generation 3\n");
        text.ShouldContain("rerank_pipelines 2\n");
        text.ShouldEndWith("rerank_pipelines_not_ready 0\n");
    }
}
