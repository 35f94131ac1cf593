using Rerank.Abstractions;

namespace Rerank.Host.Experiments;

/// <summary>How an experiment evaluates its pipelines (the <c>evaluation:</c> block).</summary>
public sealed class EvaluationOptions : IValidatableOptions
{
    /// <summary>Requests per batch for the quality pass.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Requests timed one by one (batch of 1) for the latency percentiles; 0 = none.</summary>
    public int LatencyRequests { get; set; } = 200;

    /// <summary>Untimed warm-up calls before the latency pass.</summary>
    public int WarmupRequests { get; set; } = 20;

    /// <summary>Random lists per request for HR@K% (DeGRe eq. 14).</summary>
    public int HitRateLists { get; set; } = 10_000;

    /// <summary>Exhaustive optimum for the oracle ratio: <c>auto</c> (when N!/(N−L)! ≤ <see cref="OracleMaxPermutations"/>), <c>on</c> or <c>off</c>.</summary>
    public OracleMode Oracle { get; set; } = OracleMode.Auto;

    /// <summary>Largest number of permutations <c>auto</c> searches exhaustively per request.</summary>
    public long OracleMaxPermutations { get; set; } = 2_000_000;

    /// <summary>
    /// Extra metrics beyond the standard columns: <c>outcomes</c> (expected clicks, conversions and GMV per list),
    /// <c>coverage</c> (category coverage), and ranking metrics against the test labels: <c>ndcg@K</c>, <c>gauc@K</c>,
    /// <c>map@K</c>, <c>recall@K</c>.
    /// </summary>
    public string[] Metrics { get; set; } = [];

    /// <summary>Names of <c>evaluators:</c> entries whose values replace the true utility in extra HR@K% columns (<c>hr@1%[name]</c>); see <see cref="JudgeReference"/>.</summary>
    public string[] Judges { get; set; } = [];

    /// <summary>Random lists per test request valued by each judge for its HR@K% columns.</summary>
    public int JudgeLists { get; set; } = 1000;

    /// <summary>nDCG (and MAP, recall) of a list without any relevant item: 0 (LibRerank, scikit-learn; default) or 1 (allRank).</summary>
    public double NoRelevantValue { get; set; }

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

        if (BatchSize < 1)
        {
            yield return $"batch_size must be at least 1, got {BatchSize}";
        }

        if (LatencyRequests < 0)
        {
            yield return $"latency_requests must be 0 or more, got {LatencyRequests}";
        }

        if (WarmupRequests < 0)
        {
            yield return $"warmup_requests must be 0 or more, got {WarmupRequests}";
        }

        if (JudgeLists < 100)
        {
            yield return $"judge_lists must be at least 100, got {JudgeLists}";
        }

        if (HitRateLists < 100)
        {
            yield return $"hit_rate_lists must be at least 100, got {HitRateLists}";
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
