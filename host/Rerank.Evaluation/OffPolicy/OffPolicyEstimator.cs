using Rerank.Simulation.Logging;

namespace Rerank.Evaluation.OffPolicy;

/// <summary>
/// An estimator <c>evaluation.off_policy.estimators</c> can name: its YAML key, its display name, what of the logging
/// policy it needs, and how it is computed.
/// </summary>
internal sealed class OffPolicyEstimator
{
    private readonly Func<IReadOnlyList<LoggedSlate>, IReadOnlyList<int[]>, ISlateRewardModel?, OffPolicyOptions, OffPolicyEstimate> _estimate;

    private OffPolicyEstimator(string key, string name, PolicyNeed need, Func<IReadOnlyList<LoggedSlate>, IReadOnlyList<int[]>, ISlateRewardModel?, OffPolicyOptions, OffPolicyEstimate> estimate)
    {
        Key = key;
        Name = name;
        Need = need;
        _estimate = estimate;
    }

    /// <summary>Standard IPS.</summary>
    public static OffPolicyEstimator Ips { get; } = new("ips", "IPS", PolicyNeed.Slate, (l, t, _, o) => SlateEstimators.Ips(l, t, o));

    /// <summary>Self-normalised IPS.</summary>
    public static OffPolicyEstimator Snips { get; } = new("snips", "SNIPS", PolicyNeed.Slate, (l, t, _, o) => SlateEstimators.Snips(l, t, o));

    /// <summary>Independent (position-wise) IPS.</summary>
    public static OffPolicyEstimator Iips { get; } = new("iips", "IIPS", PolicyNeed.Position, (l, t, _, o) => SlateEstimators.Iips(l, t, o));

    /// <summary>Self-normalised IIPS.</summary>
    public static OffPolicyEstimator SnIips { get; } = new("sniips", "SN-IIPS", PolicyNeed.Position, (l, t, _, o) => SlateEstimators.SnIips(l, t, o));

    /// <summary>Reward-interaction IPS.</summary>
    public static OffPolicyEstimator Rips { get; } = new("rips", "RIPS", PolicyNeed.Prefix, (l, t, _, o) => SlateEstimators.Rips(l, t, o));

    /// <summary>Self-normalised RIPS.</summary>
    public static OffPolicyEstimator SnRips { get; } = new("snrips", "SN-RIPS", PolicyNeed.Prefix, (l, t, _, o) => SlateEstimators.SnRips(l, t, o));

    /// <summary>The pseudo-inverse estimator.</summary>
    public static OffPolicyEstimator Pi { get; } = new("pi", "PI", PolicyNeed.Pairs, (l, t, _, o) => SlateEstimators.Pi(l, t, o));

    /// <summary>Self-normalised PI.</summary>
    public static OffPolicyEstimator SnPi { get; } = new("snpi", "SN-PI", PolicyNeed.Pairs, (l, t, _, o) => SlateEstimators.SnPi(l, t, o));

    /// <summary>Cascade doubly robust (needs a reward model).</summary>
    public static OffPolicyEstimator Cdr { get; } = new("cdr", "CDR", PolicyNeed.Prefix, (l, t, m, o) => SlateEstimators.Cdr(l, t, m ?? throw new InvalidOperationException("CDR needs a reward model (evaluation.off_policy.reward_model)"), o));

    /// <summary>Every estimator, in report order.</summary>
    public static IReadOnlyList<OffPolicyEstimator> All { get; } = [Ips, Snips, Iips, SnIips, Rips, SnRips, Pi, SnPi, Cdr];

    /// <summary>The YAML key (<c>sniips</c>).</summary>
    public string Key { get; }

    /// <summary>The name reports use (<c>SN-IIPS</c>), as <see cref="OffPolicyEstimate.Estimator"/>.</summary>
    public string Name { get; }

    /// <summary>What of the logging policy it divides by.</summary>
    public PolicyNeed Need { get; }

    /// <summary>The estimator named <paramref name="name"/> (its key or display name; case, <c>-</c> and <c>_</c> ignored), or null.</summary>
    public static OffPolicyEstimator? Find(string? name)
    {
        var key = name?.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        return All.FirstOrDefault(e => e.Key == key);
    }

    /// <summary>Computes the estimate of π's value from the log and π's slate for each logged request.</summary>
    public OffPolicyEstimate Estimate(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, ISlateRewardModel? model, OffPolicyOptions options) =>
        _estimate(log, targets, model, options);

    /// <summary>
    /// What the log lacks for this estimator, as a phrase naming the column to record (e.g. <c>position marginals (a
    /// 'marginal_propensity' column)</c>), or null when every logged request has what it needs for its own shown slate.
    /// </summary>
    public string? Missing(IReadOnlyList<LoggedSlate> log)
    {
        for (var i = 0; i < log.Count; i++)
        {
            var (slate, _, policy) = log[i];
            var missing = Need switch
            {
                PolicyNeed.Slate when policy.SlateProbability(slate) is null => "slate propensities (a 'slate_propensity' or 'propensity' column)",
                PolicyNeed.Position when Enumerable.Range(0, slate.Length).Any(k => policy.PositionMarginal(k, slate[k]) is null) => "position marginals (a 'marginal_propensity' column)",
                PolicyNeed.Prefix when policy.PrefixProbabilities(slate) is null => "prefix propensities (a 'propensity' column: each shown item's probability given the items before it)",
                PolicyNeed.Pairs when policy.SlateSize * policy.Candidates > SlateEstimators.MaxPseudoInverseSize =>
                    $"a pseudo-inverse of L·N = {policy.SlateSize * policy.Candidates} rows (computed up to {SlateEstimators.MaxPseudoInverseSize})",
                PolicyNeed.Pairs when policy is RecordedLoggingPolicy => "pairwise (position, item) marginals Γ, which a log does not record",
                PolicyNeed.Pairs when i == 0 && policy.PairMarginals() is null => "pairwise (position, item) marginals Γ",
                _ => null,
            };
            if (missing is not null)
            {
                return missing;
            }
        }

        return null;
    }
}

/// <summary>What of the logging policy an estimator divides by.</summary>
internal enum PolicyNeed
{
    /// <summary>μ(s) of the whole shown slate.</summary>
    Slate,

    /// <summary>μ(item at position) of each shown item.</summary>
    Position,

    /// <summary>μ(s₁ … s_k) of each prefix of the shown slate.</summary>
    Prefix,

    /// <summary>The pairwise (position, item) marginals Γ.</summary>
    Pairs,
}
