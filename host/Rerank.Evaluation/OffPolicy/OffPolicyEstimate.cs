namespace Rerank.Evaluation.OffPolicy;

/// <summary>An off-policy estimate of V(π) = E[Σ_k r_k] with what a reader needs to judge it.</summary>
/// <param name="Estimator">The estimator's name (IPS, SNIPS, IIPS, SN-IIPS, RIPS, SN-RIPS, PI, SN-PI, CDR).</param>
/// <param name="Value">The estimate V̂(π).</param>
/// <param name="Low">Lower end of the percentile bootstrap interval over requests.</param>
/// <param name="High">Upper end of the percentile bootstrap interval over requests.</param>
/// <param name="Requests">How many logged requests it is over.</param>
/// <param name="EffectiveSampleSize">
/// (Σw)²/Σw² of the (clipped) importance weights, 0 when all are 0. Position-wise estimators (IIPS, RIPS, CDR and their
/// self-normalised forms) have one weight per request and position: this is the smallest of the per-position values.
/// </param>
/// <param name="Clip">The clip threshold used (+∞ for none).</param>
/// <param name="Clipped">How many importance weights were above <paramref name="Clip"/> and replaced by it.</param>
public sealed record OffPolicyEstimate(string Estimator, double Value, double Low, double High, int Requests, double EffectiveSampleSize, double Clip, int Clipped);
