namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>oracle</c> evaluator: each slate's true expected utility from the data's ground truth.</summary>
/// <remarks>It has no settings: the utility (and its click, conversion and GMV weights) belongs to the data's ground truth.</remarks>
public sealed class OracleEvaluatorOptions
{
}
