using Rerank.Abstractions;

namespace Rerank.Plugins.Pear;

/// <summary>PEAR (Li et al., WWW'22): personalized re-ranking with a contextualized transformer.</summary>
public sealed class PearPlugin : IRerankPlugin
{
    /// <inheritdoc />
    public string Id => "pear";

    /// <inheritdoc />
    public string Version => "1.0.0";

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddScorer<PearOptions>("pear", static (o, c) => new PearScorer(o, c), "PEAR item head (eq. 4) as a static item score; rerank with a decoder (greedy).")
            .AddEvaluator<PearOptions>("list", static (o, c) => new PearEvaluator(o, c), "PEAR CLS list head (eq. 5): probability that a slate holds a positive; item head per position.");
    }
}
