using Rerank.Abstractions;

namespace Rerank.Plugins.DeGRe;

/// <summary>DeGRe: the lookahead evaluator, offline beam-search mining and the distilled greedy pointer generator.</summary>
public sealed class DeGRePlugin : IRerankPlugin
{
    /// <inheritdoc />
    public string Id => "degre";

    /// <inheritdoc />
    public string Version => "1.0.0";

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddEvaluator<EvaluatorOptions>("evaluator", static (o, c) => new LookaheadEvaluator(o, c), "DeGRe-E: lookahead evaluator, V̂ = Σ_k σ(O_t,k) over a causal Transformer (eqs. 4–8).")
            .AddScorer<EvaluatorOptions>("evaluator", static (o, c) => new LookaheadEvaluator(o, c), "DeGRe-E as a prefix-value step scorer for beam search.")
            .AddEvaluator<PointwiseOptions>("dnn", static (o, c) => new PointwiseEvaluator(o, c), "Pointwise DNN click model: the sum of independent per-position click predictions.")
            .AddGenerator<GeneratorOptions>("generator", static (o, c) => new DeGReGenerator(o, c), "DeGRe-G: mined lookahead lists distilled (eq. 13) into a greedy pointer decoder, one pass.")
            .AddScorer<GeneratorOptions>("generator", static (o, c) => new DeGReGenerator(o, c), "DeGRe-G as a log-probability step scorer (eq. 12).");
    }
}
