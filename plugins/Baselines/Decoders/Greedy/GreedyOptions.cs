namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>greedy</c> decoder: at each position, the candidate with the best (adjusted) step gain.</summary>
/// <remarks>It has no settings; the type exists so that <c>params:</c> bind (and unknown keys are errors) like for every component.</remarks>
public sealed class GreedyOptions
{
}
