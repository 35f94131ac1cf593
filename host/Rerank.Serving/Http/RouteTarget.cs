namespace Rerank.Serving.Http;

/// <summary>What a request is routed to: the pipeline that serves it, and the split and arm when it came through an alias.</summary>
/// <param name="Pipeline">The serving pipeline.</param>
/// <param name="Split">The split's name, or null.</param>
/// <param name="Arm">The arm's name, or null.</param>
internal sealed record RouteTarget(ServingPipeline Pipeline, string? Split, string? Arm)
{
    /// <summary>Resolves a pipeline or split name; for a split, picks the user's sticky arm (the request id when the user id is empty).</summary>
    public static RouteTarget? Resolve(ServingGraph graph, string name, string userId, string requestId)
    {
        if (graph.Pipelines.TryGetValue(name, out var pipeline))
        {
            return new RouteTarget(pipeline, null, null);
        }

        if (!graph.Splits.TryGetValue(name, out var split))
        {
            return null;
        }

        var arm = split.Route(userId.Length > 0 ? userId : requestId);
        return new RouteTarget(graph.Pipelines[arm.Pipeline], split.Name, arm.Name);
    }

    /// <summary>The names a request may target, for 404 messages.</summary>
    public static string Known(ServingGraph graph)
    {
        var names = graph.Pipelines.Keys.Concat(graph.Splits.Keys).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "(none loaded)" : string.Join(", ", names);
    }
}
