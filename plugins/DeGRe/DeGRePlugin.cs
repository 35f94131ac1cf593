using Rerank.Abstractions;

namespace Rerank.Plugins.DeGRe;

/// <summary>DeGRe: the lookahead evaluator, offline beam-search mining and the distilled greedy pointer generator.</summary>
public sealed class DeGRePlugin : IRerankPlugin
{
    /// <inheritdoc />
    public string Id => Checkpoint.PluginId;

    /// <inheritdoc />
    public string Version => Checkpoint.PluginVersion;

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddEvaluator<EvaluatorOptions>("evaluator", static (o, c) => new LookaheadEvaluator(o, c), "DeGRe-E: lookahead evaluator, V̂ = Σ_k σ(O_t,k) over a causal Transformer (eqs. 4–8).")
            .AddScorer<EvaluatorOptions>("evaluator", static (o, c) => new LookaheadEvaluator(o, c), "DeGRe-E as a prefix-value step scorer for beam search.");
    }
}
