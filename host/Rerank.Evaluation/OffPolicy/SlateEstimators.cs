namespace Rerank.Evaluation.OffPolicy;

/// <summary>
/// Off-policy estimators of V(π) = E[Σ_k r_k] for a deterministic target policy π, from slates logged by a stochastic
/// policy μ: π's slate a_i for each logged request i is given, next to the logged slate s_i, its rewards r_ik and μ's
/// probabilities. Formulas and the assumptions each needs are in docs/off-policy.md.
/// </summary>
/// <remarks>
/// Every estimator clips its importance weights at <see cref="OffPolicyOptions.Clip"/>, and returns a percentile bootstrap
/// interval over requests (self-normalised ones recompute the ratio on each resample) and the effective sample size of
/// its weights. A probability the estimator needs that the log does not have is an <see cref="InvalidOperationException"/>
/// naming the estimator, the request and what is missing; a logged slate of probability 0 is an <see cref="ArgumentException"/>.
/// </remarks>
public static partial class SlateEstimators
{
    private const string SlateRecord = "the logging policy's probability of the whole shown slate";
    private const string PositionRecord = "the marginal probability of each shown item at its position under the logging policy";
    private const string PrefixRecord = "the logging propensity of each position's choice, so that prefix products can be formed";

    /// <summary>Standard IPS: V̂ = (1/n) Σ_i w_i Σ_k r_ik with w_i = 1[s_i = a_i] / μ(s_i).</summary>
    public static OffPolicyEstimate Ips(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions? options = null)
    {
        options ??= new();
        return SlateWeights("IPS", log, targets, options).Mean("IPS", options);
    }

    /// <summary>Self-normalised IPS: V̂ = Σ_i w_i Σ_k r_ik / Σ_i w_i (0 when no logged slate is π's).</summary>
    public static OffPolicyEstimate Snips(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions? options = null)
    {
        options ??= new();
        return SlateWeights("SNIPS", log, targets, options).SelfNormalised("SNIPS", options);
    }

    /// <summary>Independent (position-wise) IPS: V̂ = (1/n) Σ_i Σ_k r_ik · 1[a_ik = s_ik] / μ(s_ik at k).</summary>
    public static OffPolicyEstimate Iips(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions? options = null)
    {
        options ??= new();
        return PositionWeights("IIPS", log, targets, options).Mean("IIPS", options);
    }

    /// <summary>Self-normalised IIPS: V̂ = Σ_k (Σ_i w_ik r_ik / Σ_i w_ik), each position normalised by its own weights.</summary>
    public static OffPolicyEstimate SnIips(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions? options = null)
    {
        options ??= new();
        return PositionWeights("SN-IIPS", log, targets, options).SelfNormalised("SN-IIPS", options);
    }

    /// <summary>Reward-interaction IPS: V̂ = (1/n) Σ_i Σ_k w_ik r_ik with w_ik = 1[a_i,1..k = s_i,1..k] / μ(s_i,1..k).</summary>
    public static OffPolicyEstimate Rips(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions? options = null)
    {
        options ??= new();
        return PrefixWeights("RIPS", log, targets, options).Mean("RIPS", options);
    }

    /// <summary>Self-normalised RIPS: V̂ = Σ_k (Σ_i w_ik r_ik / Σ_i w_ik), each position normalised by its own weights.</summary>
    public static OffPolicyEstimate SnRips(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions? options = null)
    {
        options ??= new();
        return PrefixWeights("SN-RIPS", log, targets, options).SelfNormalised("SN-RIPS", options);
    }

    private static EstimatorTerms SlateWeights(string estimator, IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions options)
    {
        LogChecks.Slates(estimator, log, targets, options);
        var terms = new EstimatorTerms(log.Count, 1, options.Clip);
        for (var i = 0; i < log.Count; i++)
        {
            var (slate, rewards, policy) = log[i];
            var p = LogChecks.Probability(estimator, i, policy.SlateProbability(slate), "slate propensities μ(s)", SlateRecord);
            var w = slate.AsSpan().SequenceEqual(targets[i]) ? terms.Weigh(1 / p) : 0;
            terms.Set(i, 0, w * rewards.Sum(), w);
        }

        return terms;
    }

    private static EstimatorTerms PositionWeights(string estimator, IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions options)
    {
        var positions = LogChecks.Slates(estimator, log, targets, options);
        var terms = new EstimatorTerms(log.Count, positions, options.Clip);
        for (var i = 0; i < log.Count; i++)
        {
            var (slate, rewards, policy) = log[i];
            for (var k = 0; k < slate.Length; k++)
            {
                var p = LogChecks.Probability(estimator, i, policy.PositionMarginal(k, slate[k]), $"position marginals μ(item at position) at position {k}", PositionRecord);
                var w = slate[k] == targets[i][k] ? terms.Weigh(1 / p) : 0;
                terms.Set(i, k, w * rewards[k], w);
            }
        }

        return terms;
    }

    private static EstimatorTerms PrefixWeights(string estimator, IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions options)
    {
        var positions = LogChecks.Slates(estimator, log, targets, options);
        var terms = new EstimatorTerms(log.Count, positions, options.Clip);
        for (var i = 0; i < log.Count; i++)
        {
            var (slate, rewards, _) = log[i];
            var weights = Prefixes(estimator, i, log[i], targets[i], terms);
            for (var k = 0; k < slate.Length; k++)
            {
                terms.Set(i, k, weights[k] * rewards[k], weights[k]);
            }
        }

        return terms;
    }

    /// <summary>The clipped prefix weights w_ik = 1[a_i,1..k = s_i,1..k] / μ(s_i,1..k) of one request.</summary>
    private static double[] Prefixes(string estimator, int request, LoggedSlate entry, int[] target, EstimatorTerms terms)
    {
        var prefixes = entry.Policy.PrefixProbabilities(entry.Slate);
        if (prefixes is not null && prefixes.Length != entry.Slate.Length)
        {
            throw new ArgumentException($"{estimator}: request {request}'s logging policy gives {prefixes.Length} prefix propensities for {entry.Slate.Length} positions");
        }

        var weights = new double[entry.Slate.Length];
        var matching = true;
        for (var k = 0; k < weights.Length; k++)
        {
            var p = LogChecks.Probability(estimator, request, prefixes?[k], $"prefix propensities μ(s₁ … s_k) at position {k}", PrefixRecord);
            matching &= entry.Slate[k] == target[k];
            weights[k] = matching ? terms.Weigh(1 / p) : 0;
        }

        return weights;
    }
}
