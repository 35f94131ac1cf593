using Rerank.Abstractions;

namespace Company.RerankPlugin;

/// <summary>
/// The plugin's entry point: the host finds this one public <see cref="IRerankPlugin"/>, checks that its id and version
/// match plugin.yaml, and calls <see cref="Register"/> once. Pipelines then name the components as
/// <c>samplevendor@^1.0/category-cap</c> and <c>samplevendor@^1.0/linear</c>.
/// </summary>
public sealed class SampleVendorPlugin : IRerankPlugin
{
    /// <inheritdoc />
    public string Id => "samplevendor";

    /// <inheritdoc />
    /// <remarks>The project's Version (one place to bump): the host checks it against plugin.yaml, which the build writes from it.</remarks>
    public string Version { get; } = typeof(SampleVendorPlugin).Assembly.GetName().Version!.ToString(3);

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddDiversifier<CategoryCapOptions>(
            "category-cap",
            (options, context) => new CategoryCapDiversifier(options, context.ComponentName),
            "at most max_per_category items of one category in a slate; in decoding, a penalty per same-category item already chosen");
        registry.AddScorer<LinearScorerOptions>(
            "linear",
            (options, context) => new LinearScorer(options, context),
            "a trained logistic model of clicks over the ranking stage's priors; scores each candidate once (item scores)");
    }
}
