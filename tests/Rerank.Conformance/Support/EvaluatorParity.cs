using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>
/// Compares two evaluators (e.g. an engine-trained one and its ONNX export served by <c>onnx@^1.0/evaluator</c>) on the
/// same slates: batches of 25 requests, K = 4 seeded random slates per request of different lengths (two of one length,
/// so that a longer slate is not always the best), padded together as a serving batch is.
/// </summary>
public static class EvaluatorParity
{
    /// <summary>
    /// Both evaluators on <paramref name="requests"/>: the largest absolute difference of a slate value, the number of
    /// requests whose best slate is the same, and the number of values compared; slates are at most
    /// <paramref name="maxLength"/> long.
    /// </summary>
    public static (double Worst, int SameBest, int Values) Compare(IEvaluator expected, IEvaluator actual, FeatureSchema schema, IReadOnlyList<RerankRequest> requests, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(requests);
        var worst = 0.0;
        var same = 0;
        var values = 0;
        var offset = 0;
        foreach (var chunk in requests.Chunk(25))
        {
            var batch = RerankBatch.Create(schema, chunk);
            var slates = chunk.Select((r, b) => Slates(r.Candidates.Count, offset + b, maxLength)).ToList();
            offset += chunk.Length;
            var a = expected.Evaluate(batch, slates, new RerankContext(1));
            var c = actual.Evaluate(batch, slates, new RerankContext(1));
            for (var b = 0; b < batch.Count; b++)
            {
                for (var k = 0; k < slates[b].Count; k++)
                {
                    worst = Math.Max(worst, Math.Abs(a[b][k] - c[b][k]));
                    values++;
                }

                same += Best(a[b]) == Best(c[b]) ? 1 : 0;
            }
        }

        return (worst, same, values);
    }

    /// <summary>
    /// Four slates of request number <paramref name="request"/>: seeded permutations of its candidates, lengths L₁, L₁, L₂,
    /// L₃. L₁ is shorter than the candidate list, so that the two slates of one length can hold different items: two orders
    /// of the same items may tie exactly under a model blind to order, and an exact tie has no best slate to agree on.
    /// </summary>
    private static IReadOnlyList<Slate> Slates(int candidates, int request, int maxLength)
    {
        var random = new Random(request);
        var longest = Math.Max(1, Math.Min(candidates, maxLength));
        var shorter = Math.Max(1, Math.Min(candidates - 1, maxLength));
        int[] lengths = [1 + (request % shorter), 1 + (request % shorter), 1 + ((request + 3) % longest), 1 + ((request * 5) % longest)];
        return [.. lengths.Select(l => new Slate([.. Enumerable.Range(0, candidates).OrderBy(_ => random.Next()).Take(l)], 0))];
    }

    private static int Best(double[] values) => Array.IndexOf(values, values.Max());
}
