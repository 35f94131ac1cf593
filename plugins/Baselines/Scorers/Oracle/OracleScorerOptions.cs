namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>oracle</c> scorer: the true expected utility of each extended prefix (kind PrefixValue).</summary>
/// <remarks>It has no settings: the utility (and its click, conversion and GMV weights) belongs to the data's ground truth.</remarks>
public sealed class OracleScorerOptions
{
}
