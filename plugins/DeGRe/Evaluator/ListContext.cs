using System.Numerics.Tensors;
using Rerank.Abstractions;
using Rerank.Engine;
using Tensor = Rerank.Engine.Tensor;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// Processed candidates of a batch, the input every prefix sequence is gathered from: the tokens of the feature
/// processing [B, N, F]; when the evaluator reads list context, the candidates' unit-length content embeddings
/// (row-major [B·N, w]); when it reads history affinity, each candidate's affinity [B·N] (both empty otherwise).
/// </summary>
internal sealed record CandidateEncoding(Tensor Tokens, float[] Content, int ContentWidth, float[] Affinity);

/// <summary>
/// List-context fields of a position (YAML <c>list_context: true</c>; an extension, not in the paper — docs/degre.md,
/// "Deviations"): how similar the item at t is, in content, to the items before it. With s ranging over the prefix
/// l_1:t−1 and c_s = cos(e_t, e_s): max_s c_s, Σ_s max(0, c_s), the mean of c_s, and c_{t−1} (all 0 at t = 1). They depend
/// on the prefix only, so the causal evaluator's V̂(l_1:t) still reads nothing after t.
/// </summary>
internal static class ListContext
{
    /// <summary>Number of list-context values per position.</summary>
    public const int Width = 4;

    /// <summary>
    /// History affinity (YAML <c>history_affinity: true</c>; an extension, not in the paper): the cosine between each
    /// candidate's content embedding and the mean content embedding of the <paramref name="window"/> most recent
    /// history items (the same pooled history as the user group's history field), [B·N]; 0 without history.
    /// </summary>
    public static float[] Affinity(RerankBatch batch, int window)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var w = batch.EmbeddingWidth;
        var n = batch.MaxCandidates;
        var content = UnitContent(batch);
        var affinity = new float[batch.Count * n];
        var history = batch.HistoryEmbeddings;
        var mean = new float[w];
        for (var r = 0; r < batch.Count; r++)
        {
            Array.Clear(mean);
            var count = batch.HistoryCounts[r];
            for (var h = Math.Max(0, count - window); h < count; h++)
            {
                TensorPrimitives.Add(mean, history.AsSpan(((r * batch.MaxHistory) + h) * w, w), mean);
            }

            var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares<float>(mean));
            if (norm == 0f)
            {
                continue;
            }

            for (var i = 0; i < n; i++)
            {
                affinity[(r * n) + i] = TensorPrimitives.Dot<float>(mean, content.AsSpan(((r * n) + i) * w, w)) / norm;
            }
        }

        return affinity;
    }

    /// <summary>Unit-length copies of the batch's candidate content embeddings, [B·N, w] row-major (zero rows stay zero).</summary>
    public static float[] UnitContent(RerankBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var w = batch.EmbeddingWidth;
        var unit = (float[])batch.Embeddings.Clone();
        for (var row = 0; row < unit.Length / Math.Max(1, w); row++)
        {
            var span = unit.AsSpan(row * w, w);
            var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares<float>(span));
            if (norm > 0f)
            {
                TensorPrimitives.Divide(span, norm, span);
            }
        }

        return unit;
    }

    /// <summary>
    /// The per-position extra fields of S sequences of one length, [S, T, W] row-major with W = 4 list-context values
    /// (when <see cref="CandidateEncoding.Content"/> is given) then 1 history affinity (when
    /// <see cref="CandidateEncoding.Affinity"/> is given); <paramref name="items"/> holds flat candidate slots b·N + i.
    /// </summary>
    public static float[] Compute(CandidateEncoding candidates, int[] items, int sequences, int length)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(items);
        var listWidth = candidates.Content.Length > 0 ? Width : 0;
        var stride = listWidth + (candidates.Affinity.Length > 0 ? 1 : 0);
        var values = new float[sequences * length * stride];
        if (listWidth == 0)
        {
            for (var at = 0; at < sequences * length; at++)
            {
                values[at] = candidates.Affinity[items[at]];
            }

            return values;
        }

        var prefix = Compute(candidates.Content, candidates.ContentWidth, items, sequences, length);
        for (var at = 0; at < sequences * length; at++)
        {
            prefix.AsSpan(at * Width, Width).CopyTo(values.AsSpan(at * stride));
            if (stride > Width)
            {
                values[(at * stride) + Width] = candidates.Affinity[items[at]];
            }
        }

        return values;
    }

    /// <summary>
    /// The list-context values of every position of S sequences of one length, [S, T, <see cref="Width"/>] row-major;
    /// <paramref name="items"/> holds flat candidate slots b·N + i into <paramref name="content"/>.
    /// </summary>
    public static float[] Compute(float[] content, int width, int[] items, int sequences, int length)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(items);
        var values = new float[sequences * length * Width];
        for (var s = 0; s < sequences; s++)
        {
            for (var t = 1; t < length; t++)
            {
                var item = content.AsSpan(items[(s * length) + t] * width, width);
                var max = float.NegativeInfinity;
                var positive = 0f;
                var sum = 0f;
                var previous = 0f;
                for (var p = 0; p < t; p++)
                {
                    var c = TensorPrimitives.Dot<float>(item, content.AsSpan(items[(s * length) + p] * width, width));
                    max = Math.Max(max, c);
                    positive += Math.Max(0f, c);
                    sum += c;
                    previous = c;
                }

                var at = ((s * length) + t) * Width;
                values[at] = max;
                values[at + 1] = positive;
                values[at + 2] = sum / t;
                values[at + 3] = previous;
            }
        }

        return values;
    }
}
