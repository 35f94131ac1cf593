using Rerank.Abstractions;
using Rerank.Evaluation.Metrics;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// How well an evaluator predicts logged outcomes on held-out logs (DeGRe §5.1.3): list level, its value of each exposed
/// list against the clicks it got — R-AUC, PCOC, RMSE; item level, when it is an <see cref="IItemwiseEvaluator"/>, its
/// per-position click probabilities against the clicks — AUC and LogLoss.
/// </summary>
internal static class EvaluatorQuality
{
    public static IReadOnlyList<KeyValuePair<string, double?>> Measure(IEvaluator evaluator, FeatureSchema schema, IReadOnlyList<LoggedList> logs, int batchSize, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(logs);
        var predicted = new double[logs.Count];
        var actual = new double[logs.Count];
        var itemwise = evaluator as IItemwiseEvaluator;
        var probabilities = new List<double>();
        var clicks = new List<double>();
        for (var start = 0; start < logs.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, logs.Count - start);
            var slice = Enumerable.Range(start, count).Select(i => logs[i]).ToList();
            var batch = RerankBatch.Create(schema, [.. slice.Select(l => l.Request)]);
            var slates = slice.Select(l => new Slate(l.Exposed, 0)).ToList();
            var values = evaluator.Evaluate(batch, [.. slates.Select(s => (IReadOnlyList<Slate>)[s])], context);
            var positions = itemwise?.PredictPositions(batch, slates, context);
            for (var i = 0; i < count; i++)
            {
                predicted[start + i] = values[i][0];
                actual[start + i] = slice[i].Clicks.Sum();
                if (positions is not null)
                {
                    for (var t = 0; t < slice[i].Exposed.Length; t++)
                    {
                        probabilities.Add(positions[i][t]);
                        clicks.Add(slice[i].Clicks[t]);
                    }
                }
            }
        }

        static double? Finite(double x) => double.IsFinite(x) ? x : null;
        return
        [
            new("auc", itemwise is null ? null : Finite(ClassificationMetrics.Auc(probabilities.ToArray(), clicks.ToArray()))),
            new("logloss", itemwise is null ? null : Finite(ClassificationMetrics.LogLoss(probabilities.ToArray(), clicks.ToArray()))),
            new("r_auc", Finite(EvaluatorMetrics.RegressionAuc(predicted, actual))),
            new("pcoc", Finite(EvaluatorMetrics.Pcoc(predicted, actual))),
            new("rmse", Finite(EvaluatorMetrics.Rmse(predicted, actual))),
        ];
    }
}
