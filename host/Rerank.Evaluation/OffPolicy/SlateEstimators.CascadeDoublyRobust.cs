namespace Rerank.Evaluation.OffPolicy;

/// <summary>The cascade doubly robust estimator (Kiyohara et al. 2022).</summary>
public static partial class SlateEstimators
{
    /// <summary>
    /// Cascade doubly robust: V̂ = (1/n) Σ_i Σ_k [w_i,1:k (r_ik − q̂(x_i, s_i,1:k)) + w_i,1:k−1 q̂(x_i, a_i,1:k)], with the
    /// prefix weights w_i,1:k = 1[a_i,1..k = s_i,1..k] / μ(s_i,1..k) of RIPS and w_i,1:0 = 1. For a deterministic π the
    /// expectation over π's k-th item is q̂ at π's own prefix. Unbiased under the cascade assumption when the prefix
    /// propensities are right, whatever q̂ is; a good q̂ lowers its variance.
    /// </summary>
    /// <param name="log">The logged requests.</param>
    /// <param name="targets">π's slate for each logged request.</param>
    /// <param name="model">The reward model q̂, asked once for the logged and once for the target slate of each request.</param>
    /// <param name="options">Clipping and bootstrap; defaults when null.</param>
    public static OffPolicyEstimate Cdr(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, ISlateRewardModel model, OffPolicyOptions? options = null)
    {
        const string estimator = "CDR";
        ArgumentNullException.ThrowIfNull(model);
        options ??= new();
        var positions = LogChecks.Slates(estimator, log, targets, options);
        var terms = new EstimatorTerms(log.Count, positions, options.Clip);
        for (var i = 0; i < log.Count; i++)
        {
            var (slate, rewards, _) = log[i];
            var weights = Prefixes(estimator, i, log[i], targets[i], terms);
            var logged = ModelRewards(model, i, slate, "logged");
            var target = ModelRewards(model, i, targets[i], "target");
            var previous = 1.0;
            for (var k = 0; k < slate.Length; k++)
            {
                terms.Set(i, k, (weights[k] * (rewards[k] - logged[k])) + (previous * target[k]), weights[k]);
                previous = weights[k];
            }
        }

        return terms.Mean(estimator, options);
    }

    private static double[] ModelRewards(ISlateRewardModel model, int request, int[] slate, string which)
    {
        var rewards = model.PositionRewards(request, slate)
            ?? throw new InvalidOperationException($"CDR: the reward model gave nothing for request {request}'s {which} slate");
        if (rewards.Length != slate.Length)
        {
            throw new InvalidOperationException($"CDR: the reward model gave {rewards.Length} rewards for request {request}'s {which} slate of {slate.Length} positions");
        }

        foreach (var reward in rewards)
        {
            if (!double.IsFinite(reward))
            {
                throw new InvalidOperationException($"CDR: the reward model gave {reward} for request {request}'s {which} slate; rewards must be finite");
            }
        }

        return rewards;
    }
}
