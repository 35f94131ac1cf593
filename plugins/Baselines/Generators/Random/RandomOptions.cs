using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>random</c> generator: K uniformly random slates of L distinct candidates per request.</summary>
/// <remarks>
/// It has no settings: draws come from <see cref="RerankContext.RandomFor"/>, so the pipeline's seed and the request id
/// decide them. The type exists so that <c>params:</c> bind (and unknown keys are errors) like for every component.
/// </remarks>
public sealed class RandomOptions
{
}
