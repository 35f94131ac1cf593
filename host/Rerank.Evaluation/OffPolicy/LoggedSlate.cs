using Rerank.Simulation.Logging;

namespace Rerank.Evaluation.OffPolicy;

/// <summary>
/// One logged request as the off-policy estimators read it: the slate the logging policy μ showed, the reward observed at
/// each of its positions, and what is known of μ's probabilities for this request.
/// </summary>
/// <param name="Slate">The shown slate s: candidate indices, first position first; as long as the policy's slate size.</param>
/// <param name="Rewards">The reward r_k observed at each position (already combined, e.g. clicks); as long as <paramref name="Slate"/>.</param>
/// <param name="Policy">The logging policy's probabilities for this request.</param>
public sealed record LoggedSlate(int[] Slate, double[] Rewards, ILoggingPolicy Policy);
