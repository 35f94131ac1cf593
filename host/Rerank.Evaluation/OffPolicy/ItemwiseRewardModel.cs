using Rerank.Abstractions;

namespace Rerank.Evaluation.OffPolicy;

/// <summary>
/// The reward model q̂ of the cascade doubly robust estimator over an item-wise evaluator: q̂(x, s[0..k]) = the
/// evaluator's prediction at position k of the prefix slate s[0..k] (its items 0 … k only). Each prefix is evaluated as a
/// slate of its own, so the evaluator need not be causal (a model that looks at later positions, such as a bidirectional
/// list model, still sees only the prefix); evaluating each prefix separately is always correct, at L evaluations per slate.
/// </summary>
/// <remarks>
/// The prefixes of many slates go to the evaluator together, <c>batchSize</c> requests (each with its L prefixes) per call
/// (<see cref="Precompute"/>); answers are kept, so a slate asked for again (the logged slate, once per pipeline) costs nothing.
/// The evaluator predicts its primary target (clicks): for another reward the model is off in scale, which leaves CDR
/// unbiased (when the prefix propensities are right) but with more variance.
/// </remarks>
internal sealed class ItemwiseRewardModel(IItemwiseEvaluator evaluator, FeatureSchema schema, IReadOnlyList<RerankRequest> requests, int batchSize, RerankContext context) : ISlateRewardModel
{
    private readonly Dictionary<(int Request, string Slate), double[]> _known = [];

    /// <inheritdoc/>
    public double[] PositionRewards(int request, ReadOnlySpan<int> slate)
    {
        var key = (request, Key(slate));
        if (!_known.TryGetValue(key, out var rewards))
        {
            Precompute([(request, slate.ToArray())]);
            rewards = _known[key];
        }

        return rewards;
    }

    /// <summary>Evaluates every prefix of every (request, slate) not known yet, <c>batchSize</c> requests per call.</summary>
    public void Precompute(IReadOnlyList<(int Request, int[] Slate)> slates)
    {
        ArgumentNullException.ThrowIfNull(slates);
        var todo = slates.Where(s => !_known.ContainsKey((s.Request, Key(s.Slate)))).DistinctBy(s => (s.Request, Key(s.Slate))).ToList();
        for (var start = 0; start < todo.Count; start += batchSize)
        {
            var chunk = todo.Skip(start).Take(batchSize).ToList();
            var rows = new List<RerankRequest>();
            var prefixes = new List<Slate>();
            foreach (var (request, slate) in chunk)
            {
                for (var k = 1; k <= slate.Length; k++)
                {
                    rows.Add(requests[request]);
                    prefixes.Add(new Slate(slate[..k], 0));
                }
            }

            var predictions = evaluator.PredictPositions(RerankBatch.Create(schema, rows), prefixes, context);
            var row = 0;
            foreach (var (request, slate) in chunk)
            {
                var rewards = new double[slate.Length];
                for (var k = 0; k < slate.Length; k++, row++)
                {
                    var prediction = predictions[row];
                    if (prediction is null || prediction.Length <= k)
                    {
                        throw new InvalidOperationException($"reward model '{evaluator.Name}' gave {prediction?.Length ?? 0} predictions for request {request}'s prefix of {k + 1} items");
                    }

                    rewards[k] = prediction[k];
                }

                _known[(request, Key(slate))] = rewards;
            }
        }
    }

    private static string Key(ReadOnlySpan<int> slate)
    {
        var parts = new string[slate.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = slate[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return string.Join(',', parts);
    }
}
