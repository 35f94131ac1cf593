using Rerank.Abstractions;
using Rerank.Evaluation.Metrics;
using Rerank.Simulation;
using Rerank.Simulation.Datasets;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// What every pipeline of an experiment is measured against, computed once per experiment: the sorted values of random
/// lists per test request (HR@K%, DeGRe eq. 14) and, where N and L allow, each request's exhaustive optimum (oracle ratio).
/// On data without ground truth both are absent and the simulator metrics are <see langword="null"/>.
/// </summary>
internal sealed class QualityReference
{
    /// <summary>The K of the HR@K% columns.</summary>
    public static readonly double[] HitRatePercents = [1, 3, 10];

    private readonly RandomListBaseline? _baseline;
    private readonly double[]? _optimum;

    private QualityReference(RandomListBaseline? baseline, double[]? optimum)
    {
        _baseline = baseline;
        _optimum = optimum;
    }

    /// <summary>Whether the exhaustive optimum was computed (oracle ratio available).</summary>
    public bool HasOptimum => _optimum is not null;

    public static QualityReference Build(IReadOnlyList<RerankRequest> test, EvaluationOptions options, ulong seed, CancellationToken cancellation, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        if (test.Count == 0 || test.Any(r => r.GroundTruth is null))
        {
            return new QualityReference(null, null);
        }

        var baseline = RandomListBaseline.Build(test, options.HitRateLists, StableHash.Mix(seed, StableHash.Of("hr@k%")));
        return new QualityReference(baseline, Optimum(test, options, cancellation, progress));
    }

    /// <summary>The metrics of one pipeline's slates, in results.json order: the standard columns, then <c>evaluation.metrics</c>.</summary>
    /// <param name="data">The experiment's data.</param>
    /// <param name="measured">The pipeline's slates and latencies.</param>
    /// <param name="options">Evaluation options.</param>
    /// <param name="perRequest">
    /// When given, receives the value of each request (NaN where it is not defined) of every metric that is a mean over
    /// requests (all but the latencies and gAUC), for paired comparisons.
    /// </param>
    public IReadOnlyList<KeyValuePair<string, double?>> Score(ExperimentData data, PipelineMeasurement measured, EvaluationOptions options, IDictionary<string, double[]>? perRequest = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(options);
        var test = data.Test;
        var metrics = new List<KeyValuePair<string, double?>>();
        var utilities = _baseline is null ? null : ListMetrics.ExpectedUtilities(test, measured.Slates);

        metrics.Add(new("utility", utilities?.Average()));
        foreach (var k in HitRatePercents)
        {
            metrics.Add(new($"hr@{k:0}%", utilities is null ? null : _baseline!.HitRate(utilities, k)));
        }

        metrics.Add(new("oracle_ratio", utilities is null || _optimum is null ? null : OracleRatio(utilities, _optimum)));
        metrics.Add(new("ild", Ild(test, measured.Slates)));
        if (perRequest is not null)
        {
            PerRequest(test, measured.Slates, utilities, perRequest);
        }

        var percentiles = new double[2];
        Latency.Percentiles(measured.LatenciesMs, [50, 99], percentiles);
        metrics.Add(new("latency_p50_ms", measured.LatenciesMs.Length == 0 ? null : percentiles[0]));
        metrics.Add(new("latency_p99_ms", measured.LatenciesMs.Length == 0 ? null : percentiles[1]));
        metrics.AddRange(ExtraMetrics.Score(data, measured.Slates, options, perRequest));
        return metrics;
    }

    /// <summary>Per-request values of the standard columns: utility, HR@K% hits (0 or 1), oracle ratio (NaN where the optimum is not positive), ILD.</summary>
    private void PerRequest(IReadOnlyList<RerankRequest> test, Slate[] slates, double[]? utilities, IDictionary<string, double[]> perRequest)
    {
        if (utilities is not null)
        {
            perRequest["utility"] = utilities;
            foreach (var k in HitRatePercents)
            {
                perRequest[$"hr@{k:0}%"] = [.. utilities.Select((u, r) => _baseline!.Hit(r, u, k) ? 1.0 : 0.0)];
            }

            if (_optimum is not null)
            {
                perRequest["oracle_ratio"] = [.. utilities.Select((u, r) => ListMetrics.OracleRatio(u, _optimum[r]))];
            }
        }

        if (!test.Any(r => r.Candidates.Any(c => c.Embedding.Length == 0)))
        {
            perRequest["ild"] = [.. test.Select((r, i) => ListMetrics.IntraListDiversity(r.Candidates, slates[i].Indices))];
        }
    }

    /// <summary>Mean over requests of utility ÷ optimum (requests whose optimum is not positive are skipped).</summary>
    private static double? OracleRatio(double[] utilities, double[] optimum)
    {
        var sum = 0.0;
        var count = 0;
        for (var r = 0; r < utilities.Length; r++)
        {
            var ratio = ListMetrics.OracleRatio(utilities[r], optimum[r]);
            if (!double.IsNaN(ratio))
            {
                sum += ratio;
                count++;
            }
        }

        return count == 0 ? null : sum / count;
    }

    private static double? Ild(IReadOnlyList<RerankRequest> test, Slate[] slates)
    {
        if (test.Any(r => r.Candidates.Any(c => c.Embedding.Length == 0)))
        {
            return null;
        }

        var sum = 0.0;
        for (var r = 0; r < test.Count; r++)
        {
            sum += ListMetrics.IntraListDiversity(test[r].Candidates, slates[r].Indices);
        }

        return sum / test.Count;
    }

    /// <summary>
    /// The exhaustive optimum of every request, or null when it is off, when some request's truth cannot search for its
    /// best list (it is not an <see cref="IGroundTruth"/>), or (auto) when the search is too large for some request.
    /// </summary>
    private static double[]? Optimum(IReadOnlyList<RerankRequest> test, EvaluationOptions options, CancellationToken cancellation, IProgress<double>? progress)
    {
        var truths = test.Select(r => r.GroundTruth as IGroundTruth).ToArray();
        if (options.Oracle == OracleMode.Off || Array.Exists(truths, t => t is null))
        {
            return null;
        }

        int Length(int r) => Math.Min(test[r].SlateSize, test[r].Candidates.Count);
        if (options.Oracle == OracleMode.Auto
            && Enumerable.Range(0, test.Count).Any(r => truths[r]!.SearchSize(Length(r)) > options.OracleMaxPermutations))
        {
            return null;
        }

        var values = new double[test.Count];
        var done = 0;
        Parallel.For(0, test.Count, new ParallelOptions { CancellationToken = cancellation }, r =>
        {
            values[r] = truths[r]!.Optimum(Length(r)).Value;
            progress?.Report(Interlocked.Increment(ref done));
        });
        return values;
    }
}
