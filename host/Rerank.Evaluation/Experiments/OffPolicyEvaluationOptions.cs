using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;
using Rerank.Evaluation.OffPolicy;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// Off-policy estimates of each pipeline's value from the test split's logged impressions (the
/// <c>evaluation.off_policy:</c> block); see docs/off-policy.md. On the simulator the exact value is reported beside them.
/// </summary>
public sealed class OffPolicyEvaluationOptions : IValidatableOptions
{
    /// <summary>
    /// Estimators to report: <c>ips</c>, <c>snips</c>, <c>iips</c>, <c>sniips</c>, <c>rips</c>, <c>snrips</c>, <c>pi</c>,
    /// <c>snpi</c>, <c>cdr</c>. Empty (the default): every one the data supports, the others skipped with a note; one listed
    /// that the data cannot support is an error.
    /// </summary>
    public string[] Estimators { get; set; } = [];

    /// <summary>The reward r_k at each position: <c>clicks</c>, <c>conversions</c> or <c>gmv</c> (conversion times price).</summary>
    public OffPolicyReward Reward { get; set; } = OffPolicyReward.Clicks;

    /// <summary>The largest importance weight used; larger ones are replaced by it and counted. Range: [1e-9, 1e15].</summary>
    [Range(1e-9, 1e15)]
    public double Clip { get; set; } = 1_000_000;

    /// <summary>An <c>evaluators:</c> entry implementing an item-wise evaluator: the reward model of <c>cdr</c> (required when <c>cdr</c> is listed).</summary>
    public string? RewardModel { get; set; }

    /// <summary>Below this effective sample size an estimate is flagged "too few effective samples". Range: [0, 1e12].</summary>
    [Range(0.0, 1e12)]
    public double MinEss { get; set; } = 100;

    /// <summary>Bootstrap resamples of the test requests behind each interval. Range: [10, 1000000].</summary>
    [Range(10, 1_000_000)]
    public int Bootstrap { get; set; } = 1000;

    /// <summary>Coverage of the percentile bootstrap intervals. Range: [0.5, 0.999].</summary>
    [Range(0.5, 0.999)]
    public double Level { get; set; } = 0.95;

    /// <summary>The estimators listed, resolved (unknown names left out: <see cref="Validate"/> reports them).</summary>
    internal IReadOnlyList<OffPolicyEstimator> Listed => [.. Estimators.Select(OffPolicyEstimator.Find).OfType<OffPolicyEstimator>().Distinct()];

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        var seen = new HashSet<OffPolicyEstimator>();
        foreach (var name in Estimators)
        {
            if (OffPolicyEstimator.Find(name) is not { } estimator)
            {
                yield return $"off_policy.estimators: unknown estimator '{name}'; expected {string.Join(", ", OffPolicyEstimator.All.Select(e => e.Key))}";
            }
            else if (!seen.Add(estimator))
            {
                yield return $"off_policy.estimators: '{name}' is listed twice";
            }
        }

        if (seen.Contains(OffPolicyEstimator.Cdr) && string.IsNullOrEmpty(RewardModel))
        {
            yield return "off_policy: cdr needs a reward_model (an entry of evaluators: implementing an item-wise evaluator)";
        }
    }
}

/// <summary>The per-position reward an off-policy estimate sums.</summary>
public enum OffPolicyReward
{
    /// <summary>Clicks (0/1).</summary>
    Clicks,

    /// <summary>Conversions (0/1).</summary>
    Conversions,

    /// <summary>GMV: a conversion times the item's price.</summary>
    Gmv,
}
