using Rerank.Abstractions;

namespace Rerank.Simulation.Logging;

/// <summary>
/// One logged impression kept for off-policy evaluation: what was shown and what came of it (<paramref name="Logged"/>:
/// the request, the exposed candidates, clicks and conversions per position), the shown items' GMV where the log has it,
/// and what is known of the logging policy's probabilities.
/// </summary>
/// <param name="Logged">The request, the slate shown (candidate indices, first position first) and the feedback.</param>
/// <param name="Policy">The logging policy's probabilities for this request.</param>
/// <param name="Gmv">GMV per position of the shown slate; null when the log has none.</param>
/// <param name="Timestamp">When it was logged (any monotone unit; used by time splits); null when unknown.</param>
public sealed record LoggedImpression(LoggedList Logged, ILoggingPolicy Policy, float[]? Gmv = null, long? Timestamp = null);
