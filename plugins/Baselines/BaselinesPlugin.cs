using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Baseline generators, decoders, diversifiers and evaluators.</summary>
public sealed class BaselinesPlugin : IRerankPlugin
{
    /// <inheritdoc />
    public string Id => "baselines";

    /// <inheritdoc />
    public string Version => "1.0.0";

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
    }
}
