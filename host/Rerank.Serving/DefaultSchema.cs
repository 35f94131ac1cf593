using Rerank.Abstractions;

namespace Rerank.Serving;

/// <summary>The schema requests follow unless <c>serve.yaml</c> names another: the simulator's.</summary>
internal static class DefaultSchema
{
    /// <summary>
    /// user_id, user_segment (user categorical); item_id, category (item categorical); log_price (item dense, width 1);
    /// priors ctr, cvr; embedding width 16.
    /// </summary>
    public static FeatureSchema Simulator { get; } = new(
        [
            new FeatureField("user_id", FeatureKind.Categorical, FeatureSide.User, 100_000),
            new FeatureField("user_segment", FeatureKind.Categorical, FeatureSide.User, 16),
            new FeatureField("item_id", FeatureKind.Categorical, FeatureSide.Item, 1_000_000),
            new FeatureField("category", FeatureKind.Categorical, FeatureSide.Item, 64),
            new FeatureField("log_price", FeatureKind.Dense, FeatureSide.Item, 1),
        ],
        ["ctr", "cvr"],
        16);
}
