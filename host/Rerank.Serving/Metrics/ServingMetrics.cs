using System.Globalization;
using System.Text;

namespace Rerank.Serving.Metrics;

/// <summary>The server's metrics, per pipeline: requests, errors, fallbacks, latency and batch size; plus splits and reloads.</summary>
internal sealed class ServingMetrics
{
    private static readonly double[] LatencyBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private static readonly double[] BatchBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    public CounterFamily Requests { get; } = new("rerank_requests_total", "Rerank requests answered (fallbacks included), by serving pipeline.", "pipeline");

    public CounterFamily Errors { get; } = new("rerank_errors_total", "Requests refused, by requested pipeline and HTTP status.", "pipeline", "code");

    public CounterFamily Fallbacks { get; } = new("rerank_fallbacks_total", "Requests answered with the initial order, by pipeline and reason (error, deadline).", "pipeline", "reason");

    public HistogramFamily Latency { get; } = new("rerank_request_duration_seconds", "Time from a request's arrival to its answer, by serving pipeline.", LatencyBounds, "pipeline");

    public HistogramFamily BatchSize { get; } = new("rerank_batch_size", "Requests per batch run by the dynamic batcher, by pipeline.", BatchBounds, "pipeline");

    public CounterFamily SplitRequests { get; } = new("rerank_split_requests_total", "Requests routed by a traffic split, by split and arm.", "split", "arm");

    public CounterFamily Reloads { get; } = new("rerank_reloads_total", "Reload attempts, by result (ok, failed).", "result");

    public void ObserveBatch(string pipeline, int size) => BatchSize.Observe(size, pipeline);

    /// <summary>The whole exposition, with gauges for the serving graph's generation and pipeline count.</summary>
    public string Render(long generation, int pipelines, int notReady = 0)
    {
        var sb = new StringBuilder();
        Requests.Write(sb);
        Errors.Write(sb);
        Fallbacks.Write(sb);
        Latency.Write(sb);
        BatchSize.Write(sb);
        SplitRequests.Write(sb);
        Reloads.Write(sb);
        PrometheusText.Header(sb, "rerank_graph_generation", "Generation of the serving graph (increments on every successful reload).", "gauge");
        sb.Append("rerank_graph_generation ").Append(generation.ToString(CultureInfo.InvariantCulture)).Append('\n');
        PrometheusText.Header(sb, "rerank_pipelines", "Pipelines being served.", "gauge");
        sb.Append("rerank_pipelines ").Append(pipelines.ToString(CultureInfo.InvariantCulture)).Append('\n');
        PrometheusText.Header(sb, "rerank_pipelines_not_ready", "Pipelines and splits of the folder that could not be loaded (retried on every reload).", "gauge");
        sb.Append("rerank_pipelines_not_ready ").Append(notReady.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }
}
