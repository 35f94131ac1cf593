namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>dlcm</c> scorer: a GRU over the initial list (Ai et al. 2018), attention rank loss.</summary>
public sealed class DlcmOptions : ListModelOptions
{
}
