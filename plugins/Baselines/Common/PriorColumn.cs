using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Looks a ranking-stage prior up by name in a batch's schema and reads its values.</summary>
internal static class PriorColumn
{
    /// <summary>The index of <paramref name="prior"/> in <see cref="FeatureSchema.PriorNames"/>; a miss names what exists.</summary>
    public static int Resolve(FeatureSchema schema, string prior, string component)
    {
        var index = schema.PriorIndex(prior);
        if (index < 0)
        {
            var known = schema.PriorNames.Length == 0 ? "(none)" : string.Join(", ", schema.PriorNames);
            throw new ComponentException($"{component}: prior '{prior}' is not in the data's schema; available priors: {known}");
        }

        return index;
    }

    /// <summary>The prior at <paramref name="index"/> of candidate <paramref name="i"/> of request <paramref name="b"/>.</summary>
    public static float Value(RerankBatch batch, int index, int b, int i) =>
        batch.Priors[(batch.CandidateOffset(b, i) * batch.PriorCount) + index];
}
