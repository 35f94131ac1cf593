namespace Rerank.Plugins.SortGen;

/// <summary>
/// Reading and training the heads (§3.1.2). Ordered regression: p_i,j = σ(x_jᵀθ_i,j) = P(count among the first j ≥ i) for
/// i ≤ j (eq. 5), so E[count_j] = Σ_{i≤j} p_i,j and the item at j adds E[count_j] − E[count_{j−1}] (the incremental value
/// p_i,j − p_i+1,j summed over i; eq. 2). Point-wise ablation: one σ(z_t) per position, E[count_j] = Σ_{t≤j} σ(z_t).
/// </summary>
internal static class OrderedRegression
{
    /// <summary>E[count_j] for every position of every row, <c>[R, T]</c>, from threshold logits <c>[R, T, K]</c>.</summary>
    public static float[] ExpectedCounts(ReadOnlySpan<float> logits, int rows, int length, int k, bool ordered)
    {
        var expected = new float[rows * length];
        for (var r = 0; r < rows; r++)
        {
            var running = 0f;
            for (var j = 0; j < length; j++)
            {
                var at = (r * length) + j;
                if (ordered)
                {
                    var sum = 0f;
                    for (var i = 0; i <= j; i++)
                    {
                        sum += Sigmoid(logits[(at * k) + i]); // p_{i+1, j+1}
                    }

                    expected[at] = sum;
                }
                else
                {
                    running += Sigmoid(logits[at * k]);
                    expected[at] = running;
                }
            }
        }

        return expected;
    }

    /// <summary>
    /// Targets and weights of eq. 4–5 for one batch of logged lists: at position j (sub-list of length j+1) and threshold i,
    /// target [y_j ≥ i] where y_j counts the actions among the first j+1 items; only i ≤ j and real positions weigh.
    /// Point-wise: the action at position j itself. Weights are scaled so that the loss is a mean over valid terms.
    /// </summary>
    public static (float[] Targets, float[] Weights) Targets(ReadOnlySpan<float> actions, ReadOnlySpan<int> lengths, int length, int k, bool ordered)
    {
        var rows = lengths.Length;
        var targets = new float[rows * length * k];
        var weights = new float[rows * length * k];
        var valid = 0;
        for (var r = 0; r < rows; r++)
        {
            var count = 0f;
            for (var j = 0; j < lengths[r]; j++)
            {
                var at = (r * length) + j;
                count += actions[at];
                if (ordered)
                {
                    for (var i = 0; i <= j; i++)
                    {
                        targets[(at * k) + i] = count >= i + 1 ? 1f : 0f;
                        weights[(at * k) + i] = 1f;
                        valid++;
                    }
                }
                else
                {
                    targets[at * k] = actions[at];
                    weights[at * k] = 1f;
                    valid++;
                }
            }
        }

        // The engine's BCE averages over all entries; rescale so the loss is the mean over the valid (i ≤ j) terms.
        var scale = valid == 0 ? 0f : weights.Length / (float)valid;
        for (var n = 0; n < weights.Length; n++)
        {
            weights[n] *= scale;
        }

        return (targets, weights);
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
