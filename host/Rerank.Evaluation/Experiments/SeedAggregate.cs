using Rerank.Abstractions;
using Rerank.Evaluation.Metrics;
using Rerank.Evaluation.Results;

namespace Rerank.Evaluation.Experiments;

/// <summary>What one seed's run produced: its result, and each pipeline's per-request metric values (kept for <c>compare_to</c>).</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Result">The run's result, as a single-seed experiment reports it.</param>
/// <param name="PerRequest">Pipeline → metric → one value per test request (NaN where undefined); empty without <c>compare_to</c>.</param>
internal sealed record SeedRun(ulong Seed, ExperimentResult Result, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[]>> PerRequest);

/// <summary>
/// Combines the runs of an experiment's seeds: each metric becomes its mean over seeds with the sample standard deviation
/// (n − 1) beside it, and with <c>compare_to</c> each row gets, per reference other than itself and per metric with
/// per-request values, the paired difference to the reference row over the requests of all seeds with a 95% percentile
/// bootstrap interval. The resampling seed depends on the row and metric only, so a row's difference to one reference
/// is the same whichever other references are listed beside it. One seed without
/// <c>compare_to</c> is returned as it ran, so single-seed results are unchanged.
/// </summary>
internal static class SeedAggregate
{
    /// <summary>Coverage of the difference intervals.</summary>
    public const double Level = 0.95;

    /// <summary>One result from the runs of every seed, in seed order.</summary>
    /// <param name="runs">The runs (at least one), each with the same rows in the same order.</param>
    /// <param name="options">Evaluation options: <c>compare_to</c> and <c>bootstrap_samples</c>.</param>
    /// <param name="seed">The experiment's seed, from which each interval's resampling seed derives (by row and metric).</param>
    public static ExperimentResult Combine(IReadOnlyList<SeedRun> runs, EvaluationOptions options, ulong seed)
    {
        var first = runs[0].Result;
        var compareTo = options.CompareTo;
        if (runs.Count == 1 && compareTo.Length == 0)
        {
            return first;
        }

        var multi = runs.Count > 1;
        var rows = new List<ResultRow>(first.Rows.Count);
        for (var i = 0; i < first.Rows.Count; i++)
        {
            var row = Row([.. runs.Select(r => r.Result.Rows[i])], [.. runs.Select(r => r.Seed)], multi);
            var references = compareTo.Where(c => row.Error is null && row.Pipeline != c && runs.All(r => r.PerRequest.ContainsKey(row.Pipeline) && r.PerRequest.ContainsKey(c))).ToList();
            if (references.Count > 0)
            {
                row = row with { Differences = [.. references.SelectMany(c => Differences(runs, row, c, options.BootstrapSamples, seed))] };
            }

            rows.Add(row);
        }

        var comparison = compareTo.Length == 0 ? null : new Comparison([.. compareTo], options.BootstrapSamples, Level);
        if (!multi)
        {
            return first with { Rows = rows, Comparison = comparison };
        }

        return new ExperimentResult(
            first.Experiment,
            Dataset(first.Dataset, [.. runs.Select(r => r.Seed)]),
            rows,
            first.Graphs,
            first.Latencies.Keys.ToDictionary(k => k, k => runs.SelectMany(r => r.Result.Latencies.GetValueOrDefault(k, [])).ToArray(), StringComparer.Ordinal),
            first.StageShares.Keys.ToDictionary(k => k, k => StageShares(runs, k), StringComparer.Ordinal),
            [.. runs.SelectMany(r => r.Result.Training.Select(c => c with { Component = $"{c.Component} (seed {r.Seed})" }))],
            [.. runs.Select(r => r.Seed)],
            comparison,
            first.OffPolicy is { } ope ? ope with { Notes = [.. runs.SelectMany(r => r.Result.OffPolicy?.Notes ?? []).Distinct()] } : null);
    }

    /// <summary>The sample standard deviation (n − 1) of <paramref name="values"/>; 0 for one value.</summary>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = Mean(values);
        var squares = 0.0;
        foreach (var v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        return Math.Sqrt(squares / (values.Count - 1));
    }

    /// <summary>One row over seeds: failed when any seed failed (its error, naming the seed), else each metric's mean and (several seeds) std, and each seed's tuning choice.</summary>
    private static ResultRow Row(ResultRow[] bySeed, ulong[] seeds, bool multi)
    {
        var name = bySeed[0].Pipeline;
        for (var s = 0; s < bySeed.Length; s++)
        {
            if (bySeed[s].Error is { } error)
            {
                return ResultRow.Failed(name, multi ? $"seed {seeds[s]}: {error}" : error);
            }
        }

        if (!multi)
        {
            return bySeed[0];
        }

        var means = new List<KeyValuePair<string, double?>>();
        var stds = new List<KeyValuePair<string, double?>>();
        foreach (var metric in bySeed[0].Metrics.Select(m => m.Key))
        {
            var values = bySeed.Select(r => r[metric]).ToList();
            var complete = values.All(v => v is { } x && double.IsFinite(x));
            var list = complete ? values.Select(v => v!.Value).ToList() : null;
            means.Add(new(metric, list is null ? null : Mean(list)));
            stds.Add(new(metric, list is null ? null : SampleStd(list)));
        }

        var tuned = bySeed[0].Tuned is { } t ? t with { Choices = [.. bySeed.SelectMany(r => r.Tuned?.Choices ?? [])] } : null;
        return new ResultRow(name, means, Std: stds, Tuned: tuned, OffPolicy: OffPolicy(bySeed));
    }

    /// <summary>Each estimator's cell with the runs of every seed, in seed order; null when the rows have no estimates.</summary>
    private static List<OffPolicyCell>? OffPolicy(ResultRow[] bySeed) =>
        bySeed[0].OffPolicy is not { } first
            ? null
            : [.. first.Select(cell => new OffPolicyCell(cell.Estimator, [.. bySeed.SelectMany(r => r.OffPolicy?.FirstOrDefault(c => c.Estimator == cell.Estimator)?.Runs ?? [])]))];

    private static List<MetricDifference> Differences(IReadOnlyList<SeedRun> runs, ResultRow row, string reference, int samples, ulong seed)
    {
        var result = new List<MetricDifference>();
        foreach (var metric in row.Metrics.Select(m => m.Key))
        {
            var pooled = new List<double>();
            foreach (var run in runs)
            {
                if (!run.PerRequest[row.Pipeline].TryGetValue(metric, out var values) || !run.PerRequest[reference].TryGetValue(metric, out var baseline))
                {
                    pooled = null;
                    break;
                }

                for (var r = 0; r < values.Length; r++)
                {
                    if (!double.IsNaN(values[r]) && !double.IsNaN(baseline[r]))
                    {
                        pooled.Add(values[r] - baseline[r]);
                    }
                }
            }

            if (pooled is { Count: > 0 })
            {
                var stream = StableHash.Mix(seed, StableHash.Of($"bootstrap/{row.Pipeline}/{metric}"));
                result.Add(new MetricDifference(reference, metric, PairedBootstrap.Interval(pooled.ToArray(), samples, Level, stream)));
            }
        }

        return result;
    }

    /// <summary>The first run's dataset parameters with its <c>seed</c> replaced by <c>seeds</c>, the list.</summary>
    private static List<KeyValuePair<string, object?>> Dataset(IReadOnlyList<KeyValuePair<string, object?>> dataset, ulong[] seeds) =>
        [.. dataset.Select(kv => kv.Key == "seed" ? new KeyValuePair<string, object?>("seeds", seeds) : kv)];

    private static IReadOnlyList<KeyValuePair<string, double>> StageShares(IReadOnlyList<SeedRun> runs, string pipeline)
    {
        var shares = runs.Select(r => r.Result.StageShares.GetValueOrDefault(pipeline)).Where(s => s is not null).ToList();
        return [.. shares[0]!.Select((kv, i) => new KeyValuePair<string, double>(kv.Key, shares.Average(s => s!.Count > i ? s[i].Value : 0)))];
    }

    private static double Mean(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Count;
    }
}
