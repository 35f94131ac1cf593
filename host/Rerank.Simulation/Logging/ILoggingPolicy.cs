namespace Rerank.Simulation.Logging;

/// <summary>
/// What is known about the policy that chose one logged slate: the probabilities off-policy estimators divide by. A
/// policy known in closed form (the simulator's Plackett–Luce logger) answers every question; one known only from
/// recorded columns answers what was recorded and reports the rest as unavailable (<see langword="null"/>), so an
/// estimator that needs it can say which column is missing instead of guessing.
/// </summary>
/// <remarks>
/// Positions are 0-based slots of the slate; items are candidate indices of the request (0 … N−1). Every probability is
/// in (0, 1]; a recorded 0 or a value above 1 is rejected where the data is read.
/// </remarks>
public interface ILoggingPolicy
{
    /// <summary>Number of candidates N of the request.</summary>
    int Candidates { get; }

    /// <summary>Slate size L: how many positions the policy fills.</summary>
    int SlateSize { get; }

    /// <summary>μ(s): the probability of the whole slate <paramref name="slate"/> (standard IPS); null when unknown.</summary>
    double? SlateProbability(ReadOnlySpan<int> slate);

    /// <summary>
    /// μ(s₁ … s_k) for k = 1 … |<paramref name="slate"/>|: the probability that the first k positions hold exactly these items
    /// in this order (reward-interaction IPS, cascade doubly robust); null when unknown.
    /// </summary>
    double[]? PrefixProbabilities(ReadOnlySpan<int> slate);

    /// <summary>μ(item at position): the marginal probability that <paramref name="item"/> is shown at <paramref name="position"/> (independent IPS); null when unknown.</summary>
    double? PositionMarginal(int position, int item);

    /// <summary>
    /// The L·N × L·N matrix Γ = E_μ[1_s 1_sᵀ] of pairwise (position, item) marginals, index <c>position * N + item</c>
    /// (the pseudo-inverse estimator); null when unknown. Γ[(j, a), (k, b)] = P(a at j and b at k): symmetric, zero between
    /// two items at one position, with the position marginals on its diagonal.
    /// </summary>
    double[,]? PairMarginals();
}
