using Rerank.Abstractions;
using Rerank.Runtime.Randomness;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// HR@K% measured under learned judges (<c>evaluation.judges</c>: names of entries of the experiment's <c>evaluators:</c>
/// block) instead of the true utility, as DeGRe's protocol measures generators under an independently trained external
/// evaluator: per test request, <c>evaluation.judge_lists</c> uniformly random lists (L distinct candidates in random
/// order, seeded per request id) are valued by the judge once and sorted; a pipeline's list is a hit when the share of
/// random lists the judge values strictly higher is below K% (eq. 14). Columns: <c>hr@1%[judge]</c>, …, and
/// <c>value[judge]</c>, the judge's mean value of the pipeline's lists. Works on data without ground truth.
/// </summary>
internal sealed class JudgeReference
{
    private readonly IReadOnlyList<Judge> _judges;
    private readonly int _batchSize;

    private JudgeReference(IReadOnlyList<Judge> judges, int batchSize)
    {
        _judges = judges;
        _batchSize = batchSize;
    }

    /// <summary>An error for each judge name that no entry of the <c>evaluators:</c> block carries.</summary>
    public static IEnumerable<string> Unknown(IEnumerable<string> judges, IEnumerable<string> evaluators)
    {
        var known = evaluators.ToHashSet(StringComparer.Ordinal);
        return judges.Where(j => !known.Contains(j))
            .Select(j => $"evaluation: judge '{j}' is not the name of an entry of 'evaluators:' ({(known.Count == 0 ? "there are none" : string.Join(", ", known))})");
    }

    /// <summary>Values the random lists of every test request under each judge named in <paramref name="options"/>.</summary>
    public static JudgeReference Build(
        IReadOnlyList<(string Name, IEvaluator Evaluator)> evaluators, FeatureSchema schema, IReadOnlyList<RerankRequest> test,
        EvaluationOptions options, ulong seed, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(evaluators);
        ArgumentNullException.ThrowIfNull(options);
        var judges = new List<Judge>();
        foreach (var name in options.Judges)
        {
            var evaluator = evaluators.First(e => e.Name == name).Evaluator;
            var sorted = new double[test.Count][];
            var context = new RerankContext(StableHash.Mix(seed, StableHash.Of("judge:" + name)), cancellation);
            for (var start = 0; start < test.Count; start += options.BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                var requests = test.Skip(start).Take(options.BatchSize).ToArray();
                var slates = requests.Select(r => RandomLists(r, options.JudgeLists, seed)).ToArray();
                var values = evaluator.Evaluate(RerankBatch.Create(schema, requests), slates, context);
                for (var b = 0; b < requests.Length; b++)
                {
                    sorted[start + b] = [.. values[b]];
                    Array.Sort(sorted[start + b]);
                }
            }

            judges.Add(new Judge(name, evaluator, sorted, context));
        }

        return new JudgeReference(judges, options.BatchSize);
    }

    /// <summary>The judge columns of one pipeline's lists (one per test request).</summary>
    public IReadOnlyList<KeyValuePair<string, double?>> Score(FeatureSchema schema, IReadOnlyList<RerankRequest> test, Slate[] slates)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(slates);
        var metrics = new List<KeyValuePair<string, double?>>();
        foreach (var judge in _judges)
        {
            var values = new double[test.Count];
            for (var start = 0; start < test.Count; start += _batchSize)
            {
                var requests = test.Skip(start).Take(_batchSize).ToArray();
                var lists = requests.Select((_, b) => (IReadOnlyList<Slate>)[slates[start + b]]).ToArray();
                var judged = judge.Evaluator.Evaluate(RerankBatch.Create(schema, requests), lists, judge.Context);
                for (var b = 0; b < requests.Length; b++)
                {
                    values[start + b] = judged[b][0];
                }
            }

            foreach (var k in QualityReference.HitRatePercents)
            {
                metrics.Add(new($"hr@{k:0}%[{judge.Name}]", HitRate(judge.Sorted, values, k)));
            }

            metrics.Add(new($"value[{judge.Name}]", values.Length == 0 ? null : values.Average()));
        }

        return metrics;
    }

    /// <summary>Share of requests whose value beats all but fewer than K% of the random lists' values (eq. 14).</summary>
    public static double? HitRate(double[][] sorted, double[] values, double percent)
    {
        if (values.Length == 0)
        {
            return null;
        }

        var hits = 0;
        for (var r = 0; r < values.Length; r++)
        {
            var list = sorted[r];

            // Rank = number of random lists strictly higher: everything after the last value ≤ ours.
            var lo = 0;
            var hi = list.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (list[mid] <= values[r])
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            hits += (list.Length - lo) / (double)list.Length < percent / 100 ? 1 : 0;
        }

        return hits / (double)values.Length;
    }

    private static Slate[] RandomLists(RerankRequest request, int count, ulong seed)
    {
        var n = request.Candidates.Count;
        var length = Math.Min(request.SlateSize, n);
        var rng = SeededRandom.For(StableHash.Mix(seed, StableHash.Of("judge lists")), StableHash.Of(request.RequestId));
        var pool = new int[n];
        var lists = new Slate[count];
        for (var s = 0; s < count; s++)
        {
            for (var i = 0; i < n; i++)
            {
                pool[i] = i;
            }

            for (var k = 0; k < length; k++)
            {
                var j = k + rng.NextInt(n - k);
                (pool[k], pool[j]) = (pool[j], pool[k]);
            }

            lists[s] = new Slate(pool[..length], 0);
        }

        return lists;
    }

    private sealed record Judge(string Name, IEvaluator Evaluator, double[][] Sorted, RerankContext Context);
}
