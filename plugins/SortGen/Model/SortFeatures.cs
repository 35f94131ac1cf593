using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// The inputs of eq. 3 for a set of sequences: E_item (item categorical ids, item dense features, the content embedding),
/// E_position (position ids), E_user (user categorical ids, user dense features and the current-intent vector: the mean
/// content embedding of the last <c>history_window</c> history items) and E_score (the ranking-stage priors as logits, plus
/// the cosine of the item to the intent vector). Categorical ids are embedded by <see cref="SortNetwork"/>; the rest is dense.
/// </summary>
internal sealed partial class SortFeatures
{
    private SortFeatures(int rows, int length, int itemFields, int userFields, int denseWidth)
    {
        Rows = rows;
        Length = length;
        ItemIds = [.. Enumerable.Range(0, itemFields).Select(_ => new int[rows * length])];
        UserIds = [.. Enumerable.Range(0, userFields).Select(_ => new int[rows * length])];
        Positions = new int[rows * length];
        Dense = new float[rows * length * denseWidth];
    }

    public int Rows { get; }

    public int Length { get; }

    /// <summary>Per item categorical field, <c>[R, T]</c> ids (−1 at padding: a zero embedding).</summary>
    public int[][] ItemIds { get; }

    /// <summary>Per user categorical field, <c>[R, T]</c> ids replicated along the sequence (E_user is "replicated l_o times").</summary>
    public int[][] UserIds { get; }

    /// <summary><c>[R, T]</c> position ids (−1 at padding).</summary>
    public int[] Positions { get; }

    /// <summary><c>[R, T, D]</c> dense inputs.</summary>
    public float[] Dense { get; }

    /// <summary>The width of the dense part for <paramref name="schema"/>.</summary>
    public static int DenseWidth(FeatureSchema schema) =>
        schema.DenseWidth(FeatureSide.Item) + schema.DenseWidth(FeatureSide.User) + (2 * schema.EmbeddingWidth) + schema.PriorNames.Length + 1;

    /// <summary>Encodes <paramref name="rows"/> of <paramref name="batch"/>.</summary>
    public static SortFeatures Encode(RerankBatch batch, SequenceRows rows, int historyWindow, string component)
    {
        var schema = batch.Schema;
        var itemFields = schema.Select(FeatureSide.Item, FeatureKind.Categorical);
        var userFields = schema.Select(FeatureSide.User, FeatureKind.Categorical);
        var width = DenseWidth(schema);
        var f = new SortFeatures(rows.Count, rows.Length, itemFields.Length, userFields.Length, width);
        var intent = Intent(batch, historyWindow);
        var fd = batch.ItemDenseWidth;
        var fu = schema.DenseWidth(FeatureSide.User);
        var e = batch.EmbeddingWidth;
        var p = batch.PriorCount;
        var cat = batch.CandidateCategorical;
        var dense = batch.CandidateDense;
        var emb = batch.Embeddings;
        var priors = batch.Priors;
        var users = batch.UserCategorical;
        var userDense = batch.UserDense;
        for (var r = 0; r < rows.Count; r++)
        {
            var b = rows.Request[r];
            for (var t = 0; t < rows.Length; t++)
            {
                var at = (r * rows.Length) + t;
                var i = rows.Items[at];
                if (i < 0)
                {
                    f.Positions[at] = -1;
                    for (var k = 0; k < itemFields.Length; k++)
                    {
                        f.ItemIds[k][at] = -1;
                    }

                    for (var k = 0; k < userFields.Length; k++)
                    {
                        f.UserIds[k][at] = -1;
                    }

                    continue;
                }

                if (i >= batch.CandidateCounts[b])
                {
                    throw new ComponentException($"{component}: candidate index {i} is out of range for request '{batch.Requests[b].RequestId}' with {batch.CandidateCounts[b]} candidates");
                }

                f.Positions[at] = t;
                var c = batch.CandidateOffset(b, i);
                for (var k = 0; k < itemFields.Length; k++)
                {
                    f.ItemIds[k][at] = Checked(cat[(c * itemFields.Length) + k], itemFields[k], batch, b, component);
                }

                for (var k = 0; k < userFields.Length; k++)
                {
                    f.UserIds[k][at] = Checked(users[(b * userFields.Length) + k], userFields[k], batch, b, component);
                }

                var o = f.Dense.AsSpan(at * width, width);
                dense.AsSpan(c * fd, fd).CopyTo(o);
                var item = emb.AsSpan(c * e, e);
                item.CopyTo(o[fd..]);
                for (var k = 0; k < p; k++)
                {
                    var v = Math.Clamp(priors[(c * p) + k], 1e-4f, 1 - 1e-4f);
                    o[fd + e + k] = MathF.Log(v / (1 - v));
                }

                var u = intent.AsSpan(b * e, e);
                o[fd + e + p] = Cosine(item, u);
                u.CopyTo(o[(fd + e + p + 1)..]);
                userDense.AsSpan(b * fu, fu).CopyTo(o[(fd + e + p + 1 + e)..]);
            }
        }

        return f;
    }

    /// <summary>The rows <paramref name="rows"/> of several encodings laid end to end (for mini-batches of shuffled lists).</summary>
    public static SortFeatures Select(IReadOnlyList<SortFeatures> parts, ReadOnlySpan<(int Part, int Row)> rows)
    {
        var first = parts[0];
        var t = first.Length;
        var width = first.Dense.Length / Math.Max(1, first.Rows * t);
        var f = new SortFeatures(rows.Length, t, first.ItemIds.Length, first.UserIds.Length, width);
        for (var r = 0; r < rows.Length; r++)
        {
            var (part, row) = rows[r];
            var from = parts[part];
            for (var k = 0; k < f.ItemIds.Length; k++)
            {
                from.ItemIds[k].AsSpan(row * t, t).CopyTo(f.ItemIds[k].AsSpan(r * t, t));
            }

            for (var k = 0; k < f.UserIds.Length; k++)
            {
                from.UserIds[k].AsSpan(row * t, t).CopyTo(f.UserIds[k].AsSpan(r * t, t));
            }

            from.Positions.AsSpan(row * t, t).CopyTo(f.Positions.AsSpan(r * t, t));
            from.Dense.AsSpan(row * t * width, t * width).CopyTo(f.Dense.AsSpan(r * t * width, t * width));
        }

        return f;
    }

    /// <summary>Per request, the normalised mean content embedding of the last <paramref name="window"/> history items, <c>[B, E]</c>.</summary>
    private static float[] Intent(RerankBatch batch, int window)
    {
        var e = batch.EmbeddingWidth;
        var intent = new float[batch.Count * e];
        if (e == 0)
        {
            return intent;
        }

        var history = batch.HistoryEmbeddings;
        for (var b = 0; b < batch.Count; b++)
        {
            var h = batch.HistoryCounts[b];
            var v = intent.AsSpan(b * e, e);
            for (var s = Math.Max(0, h - window); s < h; s++)
            {
                var row = history.AsSpan(((b * batch.MaxHistory) + s) * e, e);
                for (var k = 0; k < e; k++)
                {
                    v[k] += row[k];
                }
            }

            var norm = 0f;
            foreach (var x in v)
            {
                norm += x * x;
            }

            if (norm > 0)
            {
                var scale = 1 / MathF.Sqrt(norm);
                for (var k = 0; k < e; k++)
                {
                    v[k] *= scale;
                }
            }
        }

        return intent;
    }

    private static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float dot = 0, na = 0, nb = 0;
        for (var k = 0; k < a.Length; k++)
        {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
        }

        return na > 0 && nb > 0 ? dot / MathF.Sqrt(na * nb) : 0;
    }

    private static int Checked(int id, FeatureField field, RerankBatch batch, int b, string component) =>
        id >= 0 && id < field.Size
            ? id
            : throw new ComponentException($"{component}: feature '{field.Name}' of request '{batch.Requests[b].RequestId}' has id {id}, outside its vocabulary [0, {field.Size})");
}
