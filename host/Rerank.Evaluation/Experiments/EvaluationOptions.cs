using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Evaluation.Experiments;

/// <summary>How an experiment evaluates its pipelines (the <c>evaluation:</c> block).</summary>
public sealed class EvaluationOptions : IValidatableOptions
{
    /// <summary>Requests per batch for the quality pass. Range: [1, 65536].</summary>
    [Range(1, 65_536)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Requests timed one by one (batch of 1) for the latency percentiles; 0 = none. Range: [0, 1000000].</summary>
    [Range(0, 1_000_000)]
    public int LatencyRequests { get; set; } = 200;

    /// <summary>Untimed warm-up calls before the latency pass. Range: [0, 1000000].</summary>
    [Range(0, 1_000_000)]
    public int WarmupRequests { get; set; } = 20;

    /// <summary>Random lists per request for HR@K% (DeGRe eq. 14). Range: [100, 1000000].</summary>
    [Range(100, 1_000_000)]
    public int HitRateLists { get; set; } = 10_000;

    /// <summary>Exhaustive optimum for the oracle ratio: <c>auto</c> (when N!/(N−L)! ≤ <see cref="OracleMaxPermutations"/>), <c>on</c> or <c>off</c>.</summary>
    public OracleMode Oracle { get; set; } = OracleMode.Auto;

    /// <summary>Largest number of permutations <c>auto</c> searches exhaustively per request. Range: [0, 10000000000].</summary>
    [Range(typeof(long), "0", "10000000000")]
    public long OracleMaxPermutations { get; set; } = 2_000_000;

    /// <summary>
    /// Extra metrics beyond the standard columns: <c>outcomes</c> (expected clicks, conversions and GMV per list),
    /// <c>coverage</c> (category coverage), and ranking metrics against the test labels: <c>ndcg@K</c>, <c>gauc@K</c>,
    /// <c>map@K</c>, <c>recall@K</c>.
    /// </summary>
    public string[] Metrics { get; set; } = [];

    /// <summary>Names of <c>evaluators:</c> entries whose values replace the true utility in extra HR@K% columns (<c>hr@1%[name]</c>); see <see cref="JudgeReference"/>.</summary>
    public string[] Judges { get; set; } = [];

    /// <summary>Random lists per test request valued by each judge for its HR@K% columns. Range: [100, 1000000].</summary>
    [Range(100, 1_000_000)]
    public int JudgeLists { get; set; } = 1000;

    /// <summary>nDCG (and MAP, recall) of a list without any relevant item: 0 (LibRerank, scikit-learn; default) or 1 (allRank). Range: 0 or 1.</summary>
    [Range(0.0, 1.0)]
    public double NoRelevantValue { get; set; }

    /// <summary>
    /// Pipelines (references) to compare every other row with: per reference and metric with per-request values, the
    /// paired difference (row − reference) with a 95% percentile bootstrap interval over test requests, pooled over
    /// seeds. In YAML one name (<c>compare_to: dpp</c>) or a list (<c>compare_to: [dpp, seq2slate]</c>); empty: none.
    /// </summary>
    public string[] CompareTo { get; set; } = [];

    /// <summary>Bootstrap resamples for the intervals of <c>compare_to</c>. Range: [100, 1000000].</summary>
    [Range(100, 1_000_000)]
    public int BootstrapSamples { get; set; } = 1000;

    /// <summary>
    /// Off-policy estimates of each pipeline's value from the test split's logged impressions, beside the exact value on the
    /// simulator (<see cref="OffPolicyEvaluationOptions"/>; docs/off-policy.md); unset: none.
    /// </summary>
    public OffPolicyEvaluationOptions? OffPolicy { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        foreach (var metric in Metrics)
        {
            if (!MetricGroups.TryParse(metric, out _, out _))
            {
                yield return $"metrics: unknown metric '{metric}'; expected {MetricGroups.Known}";
            }
        }

        if (NoRelevantValue is not (0 or 1))
        {
            yield return $"no_relevant_value must be 0 or 1, got {NoRelevantValue}";
        }
    }
}

/// <summary>Whether to compute the exhaustive optimum.</summary>
public enum OracleMode
{
    /// <summary>When N and L are small enough.</summary>
    Auto,

    /// <summary>Always (may be slow).</summary>
    On,

    /// <summary>Never; oracle_ratio is null.</summary>
    Off,
}
