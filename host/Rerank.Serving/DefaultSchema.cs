using Rerank.Abstractions;

namespace Rerank.Serving;

/// <summary>
/// The schema requests follow unless <c>serve.yaml</c> or <c>--schema</c> names another: the simulator's fields and priors
/// with vocabularies sized for serving traffic (100,000 users, 1,000,000 items), not those of any one simulated dataset
/// (<c>rerank simulate</c> writes its dataset's own schema, with its smaller vocabularies; a model trained on that dataset
/// is served with that schema file).
/// </summary>
internal static class DefaultSchema
{
    /// <summary>
    /// user_id, user_segment (user categorical); item_id, category (item categorical); log_price (item dense, width 1);
    /// priors ctr, cvr; embedding width 16.
    /// </summary>
    public static FeatureSchema Serving { get; } = new(
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
