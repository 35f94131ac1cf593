using Rerank.Abstractions;

namespace Rerank.Simulation;

internal sealed partial class SimWorld
{
    /// <summary>
    /// A request of <paramref name="user"/> with <paramref name="history"/> and candidates <paramref name="items"/> (item
    /// indices, in delivered order) carrying priors <paramref name="ctr"/>, <paramref name="cvr"/>; the ground truth is
    /// rebuilt from the world when <paramref name="truth"/> is null.
    /// </summary>
    public RerankRequest Request(
        SimulatorOptions options,
        string id,
        int user,
        int[] history,
        int[] items,
        float[] ctr,
        float[] cvr,
        SimulatedListUtility? truth = null) => new()
        {
            RequestId = id,
            UserId = UserId(user),
            UserCategorical = [user, Segment[user]],
            UserDense = PatienceFeature is null ? [] : [PatienceFeature[user]],
            History = [.. history.Select(j => Catalogue[j])],
            Candidates = [.. items.Select((j, i) => WithPriors(Catalogue[j], ctr[i], cvr[i]))],
            SlateSize = options.SlateSize,
            GroundTruth = truth ?? Truth(options, user, history, items),
        };

    /// <summary>A candidate: the catalogue item's features (shared arrays) plus its priors.</summary>
    private static Item WithPriors(Item item, float ctr, float cvr) => new()
    {
        Id = item.Id,
        Categorical = item.Categorical,
        Dense = item.Dense,
        Embedding = item.Embedding,
        Price = item.Price,
        Priors = [ctr, cvr],
    };
}
