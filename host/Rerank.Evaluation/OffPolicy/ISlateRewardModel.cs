namespace Rerank.Evaluation.OffPolicy;

/// <summary>
/// A reward model q̂ for the cascade doubly robust estimator: for a request and a slate, the expected reward at each
/// position given the items up to it.
/// </summary>
public interface ISlateRewardModel
{
    /// <summary>
    /// q̂(x, slate[0..k]) for every position k: element k is the expected reward at position k given the request
    /// <paramref name="request"/> and the items at positions 0 … k. Under the cascade assumption it may depend on
    /// slate[0..k] only, never on later positions. As long as <paramref name="slate"/>; every value finite.
    /// </summary>
    /// <param name="request">The request's index in the log.</param>
    /// <param name="slate">Candidate indices, first position first.</param>
    double[] PositionRewards(int request, ReadOnlySpan<int> slate);
}
