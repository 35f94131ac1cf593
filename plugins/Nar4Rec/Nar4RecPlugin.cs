using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>NAR4Rec (non-autoregressive generative reranking): generator, contrastive decoding and sequence evaluator.</summary>
public sealed class Nar4RecPlugin : IRerankPlugin
{
    /// <inheritdoc />
    public string Id => "nar4rec";

    /// <inheritdoc />
    public string Version => "1.0.0";

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddScorer<GeneratorOptions>("generator", static (o, c) => new Nar4RecGenerator(o, c), "NAR4Rec matching model (§4.1): log p̂ of every candidate at every position in one pass (eq. 12), trained with unlikelihood + contrastive losses (eq. 15, 18-20).")
            .AddGenerator<GeneratorOptions>("generator", static (o, c) => new Nar4RecGenerator(o, c), "NAR4Rec generator with its own contrastive decoding (eq. 16-17), one slate per alpha.")
            .AddDecoder<ContrastiveOptions>("contrastive", static (o, c) => new ContrastiveDecoder(o, c.ComponentName), "Contrastive decoding (eq. 16-17): (1 - alpha) p - alpha max cosine to the selected items; one slate per alpha.")
            .AddEvaluator<EvaluatorOptions>("evaluator", static (o, c) => new SequenceEvaluator(o, c), "NAR4Rec sequence evaluator (§4.4): self-attention + FFN, item-wise click/conversion heads, utility = weighted sum.");
    }
}
