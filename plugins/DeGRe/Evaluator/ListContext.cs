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
/// List-context fields of a position (YAML <c>list_context: true</c> of the evaluator and of the generator; an extension,
/// not in the paper — docs/degre.md, "Deviations"): how similar the item at t is, in content, to the items before it. With s ranging over the prefix
/// l_1:t−1 and c_s = cos(e_t, e_s): max_s c_s, Σ_s max(0, c_s), the mean of c_s, and c_{t−1} (all 0 at t = 1). They depend
/// on the prefix only, so the causal evaluator's V̂(l_1:t) still reads nothing after t.
/// </summary>
internal static partial class ListContext
{
    /// <summary>Number of list-context values per position.</summary>
    public const int Width = 4;

    /// <summary>
    /// History affinity (YAML <c>history_affinity: true</c>; an extension, not in the paper): the cosine between each
    /// candidate's content embedding and the mean content embedding of the <paramref name="window"/> most recent
    /// history items (the same pooled history as the user group's history field), [B·N]; 0 without history.
    /// <paramref name="unitContent"/> is <see cref="UnitContent"/> of the batch.
    /// </summary>
    public static float[] Affinity(RerankBatch batch, int window, float[] unitContent)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(unitContent);
        var w = batch.EmbeddingWidth;
        var n = batch.MaxCandidates;
        var content = unitContent;
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
            var sequence = items.AsSpan(s * length, length);
            for (var t = 1; t < length; t++)
            {
                Fill(values.AsSpan(((s * length) + t) * Width, Width), content, width, sequence[t], sequence[..t]);
            }
        }

        return values;
    }

    /// <summary>
    /// The extra fields of every candidate at every step of S decoded sequences (DeGRe-G's pointer, eq. 12), [S, T, N, W]
    /// row-major with W as in <see cref="Compute(CandidateEncoding, int[], int, int)"/>: the list-context values of
    /// candidate i of sequence s at step t against the items chosen before t (when <paramref name="content"/>, unit
    /// embeddings flat over b·N + i, is given), then its <paramref name="affinity"/> (when given). Sequence s belongs to
    /// request <paramref name="requests"/>[s] and chose <paramref name="items"/>[s, t] (candidate indices, row-major [S, T]).
    /// </summary>
    public static float[] ForCandidates(float[] content, int width, float[] affinity, int n, int[] requests, int[] items, int length)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(affinity);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(items);
        var listWidth = content.Length > 0 ? Width : 0;
        var stride = listWidth + (affinity.Length > 0 ? 1 : 0);
        var values = new float[requests.Length * length * n * stride];
        var prefix = new int[length];
        for (var s = 0; s < requests.Length; s++)
        {
            var first = requests[s] * n;
            for (var t = 0; t < length; t++)
            {
                for (var i = 0; i < n; i++)
                {
                    var at = ((((s * length) + t) * n) + i) * stride;
                    if (listWidth > 0 && t > 0)
                    {
                        for (var u = 0; u < t; u++)
                        {
                            prefix[u] = first + items[(s * length) + u];
                        }

                        Fill(values.AsSpan(at, Width), content, width, first + i, prefix.AsSpan(0, t));
                    }

                    if (stride > listWidth)
                    {
                        values[at + listWidth] = affinity[first + i];
                    }
                }
            }
        }

        return values;
    }

    /// <summary>The four list-context values of the item in slot <paramref name="item"/> after the slots of <paramref name="prefix"/> (non-empty).</summary>
    private static void Fill(Span<float> destination, float[] content, int width, int item, ReadOnlySpan<int> prefix)
    {
        var e = content.AsSpan(item * width, width);
        var max = float.NegativeInfinity;
        var positive = 0f;
        var sum = 0f;
        var previous = 0f;
        foreach (var p in prefix)
        {
            var c = TensorPrimitives.Dot<float>(e, content.AsSpan(p * width, width));
            max = Math.Max(max, c);
            positive += Math.Max(0f, c);
            sum += c;
            previous = c;
        }

        destination[0] = max;
        destination[1] = positive;
        destination[2] = sum / prefix.Length;
        destination[3] = previous;
    }
}
