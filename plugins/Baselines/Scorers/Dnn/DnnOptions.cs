namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>dnn</c> scorer: a point-wise MLP over user ⊕ item trained with click BCE.</summary>
public sealed class DnnOptions : ListModelOptions
{
}
