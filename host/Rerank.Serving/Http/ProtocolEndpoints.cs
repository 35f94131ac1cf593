using Microsoft.AspNetCore.Http;
using Rerank.Abstractions;
using Rerank.Serving.Json;
using Rerank.Serving.Metrics;

namespace Rerank.Serving.Http;

/// <summary>The KServe Open Inference Protocol (v2) health and metadata subset, and <c>/metrics</c> in Prometheus text.</summary>
internal static class ProtocolEndpoints
{
    public static Task LiveAsync(HttpContext context) =>
        RerankHandler.WriteAsync(context, StatusCodes.Status200OK, new LiveJson(true), ServingJson.Context.LiveJson);

    /// <summary>Ready when a graph with at least one pipeline is serving.</summary>
    public static Task ReadyAsync(HttpContext context, ServingRuntime runtime)
    {
        var ready = runtime.Current is { Pipelines.Count: > 0 };
        return RerankHandler.WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, new ReadyJson(ready), ServingJson.Context.ReadyJson);
    }

    /// <summary>200 when the pipeline or split serves; 400 with the reason when it is in the folder but not ready; 404 when unknown.</summary>
    public static Task ModelReadyAsync(HttpContext context, ServingRuntime runtime, string name)
    {
        var graph = runtime.Current;
        if (graph is not null && (graph.Pipelines.ContainsKey(name) || graph.Splits.ContainsKey(name)))
        {
            return RerankHandler.WriteAsync(context, StatusCodes.Status200OK, new ReadyJson(true, name), ServingJson.Context.ReadyJson);
        }

        var notReady = graph?.NotReadyNamed(name);
        var status = notReady is null ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        var error = notReady is null ? $"unknown model '{name}'" : PublicText.Redact(notReady.Error, runtime.PipelinesFolder);
        return RerankHandler.WriteAsync(context, status, new ReadyJson(false, name, error), ServingJson.Context.ReadyJson);
    }

    /// <summary>Model metadata: the request tensors the schema implies (per candidate unless noted) and the outputs.</summary>
    public static Task ModelAsync(HttpContext context, ServingRuntime runtime, string name)
    {
        var graph = runtime.Current;
        if (graph is null || (!graph.Pipelines.ContainsKey(name) && !graph.Splits.ContainsKey(name)))
        {
            var known = graph is null ? "(none loaded)" : RouteTarget.Known(graph);
            return RerankHandler.WriteAsync(context, StatusCodes.Status404NotFound, new ErrorJson { Error = $"unknown model '{name}'; serving: {known}" }, ServingJson.Context.ErrorJson);
        }

        var platform = graph.Splits.TryGetValue(name, out var split)
            ? "rerank-split:" + string.Join(",", split.Arms.Select(a => $"{a.Name}={a.Pipeline}"))
            : "rerank-pipeline:" + string.Join(",", graph.Pipelines[name].Plugins);
        var metadata = new ModelMetadataJson(name, [graph.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture)], platform, Inputs(graph.Settings.Schema), Outputs);
        return RerankHandler.WriteAsync(context, StatusCodes.Status200OK, metadata, ServingJson.Context.ModelMetadataJson);
    }

    public static async Task MetricsAsync(HttpContext context, ServingRuntime runtime)
    {
        var graph = runtime.Current;
        var text = runtime.Metrics.Render(graph?.Generation ?? 0, graph?.Pipelines.Count ?? 0, graph?.NotReady.Count ?? 0);
        context.Response.ContentType = PrometheusText.ContentType;
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    private static readonly TensorMetadataJson[] Outputs =
    [
        new("ids", "BYTES", [-1]),
        new("scores", "FP32", [-1]),
    ];

    private static List<TensorMetadataJson> Inputs(FeatureSchema schema)
    {
        var inputs = new List<TensorMetadataJson>();
        foreach (var f in schema.Fields)
        {
            var perCandidate = f.Side == FeatureSide.Item;
            long[] shape = f.Kind == FeatureKind.Categorical
                ? (perCandidate ? [-1] : [1])
                : (perCandidate ? [-1, f.Size] : [f.Size]);
            inputs.Add(new TensorMetadataJson(f.Name, f.Kind == FeatureKind.Categorical ? "INT32" : "FP32", shape));
        }

        inputs.Add(new TensorMetadataJson("priors", "FP32", [-1, schema.PriorNames.Length]));
        if (schema.EmbeddingWidth > 0)
        {
            inputs.Add(new TensorMetadataJson("embedding", "FP32", [-1, schema.EmbeddingWidth]));
        }

        inputs.Add(new TensorMetadataJson("price", "FP32", [-1]));
        inputs.Add(new TensorMetadataJson("slate_size", "INT32", [1]));
        return inputs;
    }
}
