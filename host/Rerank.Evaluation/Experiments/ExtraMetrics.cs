using Rerank.Abstractions;
using Rerank.Evaluation.Metrics;
using Rerank.Simulation.Datasets;

namespace Rerank.Evaluation.Experiments;

/// <summary>The metrics an experiment asks for in <c>evaluation.metrics</c>, beyond the standard columns.</summary>
internal static class ExtraMetrics
{
    /// <summary>The metrics, in <c>evaluation.metrics</c> order; <paramref name="perRequest"/>, when given, receives each request's value of those that are means over requests.</summary>
    public static IEnumerable<KeyValuePair<string, double?>> Score(ExperimentData data, Slate[] slates, EvaluationOptions options, IDictionary<string, double[]>? perRequest = null)
    {
        foreach (var metric in options.Metrics)
        {
            MetricGroups.TryParse(metric, out var name, out var k);
            switch (name)
            {
                case "outcomes":
                    var outcomes = Outcomes(data.Test, slates, perRequest);
                    yield return new("click", outcomes?.Click);
                    yield return new("conversion", outcomes?.Conversion);
                    yield return new("gmv", outcomes?.Gmv);
                    break;
                case "coverage":
                    yield return new("coverage", Coverage(data, slates, perRequest));
                    break;
                default:
                    yield return new($"{name}@{k}", data.TestLabels is null ? null : Ranked(name, k, data, slates, options.NoRelevantValue, perRequest));
                    break;
            }
        }
    }

    /// <summary>Mean expected clicks, conversions and GMV per list (sums over positions of the exact list model).</summary>
    private static (double Click, double Conversion, double Gmv)? Outcomes(IReadOnlyList<RerankRequest> test, Slate[] slates, IDictionary<string, double[]>? perRequest)
    {
        if (test.Count == 0 || test.Any(r => r.GroundTruth is null))
        {
            return null;
        }

        double click = 0, conversion = 0, gmv = 0;
        var each = new double[3][];
        for (var o = 0; o < each.Length; o++)
        {
            each[o] = new double[test.Count];
        }

        for (var r = 0; r < test.Count; r++)
        {
            var outcome = test[r].GroundTruth!.Outcome(slates[r].Indices);
            each[0][r] = outcome.Click.Sum();
            each[1][r] = outcome.Conversion.Sum();
            each[2][r] = outcome.Gmv.Sum();
            click += each[0][r];
            conversion += each[1][r];
            gmv += each[2][r];
        }

        if (perRequest is not null)
        {
            (perRequest["click"], perRequest["conversion"], perRequest["gmv"]) = (each[0], each[1], each[2]);
        }

        return (click / test.Count, conversion / test.Count, gmv / test.Count);
    }

    private static double? Coverage(ExperimentData data, Slate[] slates, IDictionary<string, double[]>? perRequest)
    {
        var category = ListMetrics.CategoryIndex(data.Schema);
        if (category < 0 || data.Test.Count == 0)
        {
            return null;
        }

        var values = data.Test.Select((r, i) => ListMetrics.CategoryCoverage(r.Candidates, slates[i].Indices, category)).ToArray();
        if (perRequest is not null)
        {
            perRequest["coverage"] = values;
        }

        return values.Average();
    }

    /// <summary>
    /// Ranking metrics of the final slate against the test labels. The slate's order is the ranking (its first item
    /// ranked first); candidates left out of the slate rank after it. nDCG uses the graded gains when the dataset has
    /// them (linear gains), else the labels; its ideal comes from all of a request's candidates.
    /// gAUC@K is the impression-weighted AUC of the top K of each list (lists with one class skipped).
    /// </summary>
    private static double? Ranked(string name, int k, ExperimentData data, Slate[] slates, double noRelevant, IDictionary<string, double[]>? perRequest)
    {
        var labels = data.TestLabels!;
        if (name == "gauc")
        {
            var scores = new List<double>();
            var truth = new List<double>();
            var sizes = new List<int>();
            for (var r = 0; r < slates.Length; r++)
            {
                var top = Math.Min(k, slates[r].Count);
                for (var t = 0; t < top; t++)
                {
                    scores.Add(-t);
                    truth.Add(labels[r][slates[r].Indices[t]]);
                }

                sizes.Add(top);
            }

            var gauc = ClassificationMetrics.GroupAuc(scores.ToArray(), truth.ToArray(), sizes.ToArray());
            return double.IsNaN(gauc) ? null : gauc;
        }

        var sum = 0.0;
        var count = 0;
        var each = new double[slates.Length];
        for (var r = 0; r < slates.Length; r++)
        {
            var pool = Array.ConvertAll(name == "ndcg" && data.TestGains is { } gains ? gains[r] : labels[r], x => (double)x);
            var scores = new double[pool.Length];
            Array.Fill(scores, double.NegativeInfinity);
            for (var t = 0; t < slates[r].Count; t++)
            {
                scores[slates[r].Indices[t]] = slates[r].Count - t;
            }

            // Candidates outside the slate tie below it; keep them out of the top K by giving them distinct low scores.
            var rest = -1.0;
            for (var j = 0; j < scores.Length; j++)
            {
                if (double.IsNegativeInfinity(scores[j]))
                {
                    scores[j] = rest--;
                }
            }

            var value = name switch
            {
                "ndcg" => RankingMetrics.Ndcg(scores, pool, k, noRelevant),
                "map" => RankingMetrics.AveragePrecision(scores, pool, k, noRelevant),
                _ => RankingMetrics.Recall(scores, pool, k, noRelevant),
            };
            each[r] = value;
            if (!double.IsNaN(value))
            {
                sum += value;
                count++;
            }
        }

        if (perRequest is not null)
        {
            perRequest[$"{name}@{k}"] = each;
        }

        return count == 0 ? null : sum / count;
    }
}
