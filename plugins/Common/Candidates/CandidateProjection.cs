using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.Common;

/// <summary>
/// Projects a batch's candidates into the model width d — NAR4Rec §4.1, "we project them into same hidden dimension d by a
/// linear projection layer"; Seq2Slate uses the same input so that speed comparisons with NAR4Rec are like for like: each item-side categorical field (item_id, category) is embedded, concatenated with the item's dense
/// features (log_price), its priors (raw and log), and its content embedding, then projected; the user side (user_id,
/// user_segment embeddings, user/context dense features and the mean of the history's content embeddings) is projected
/// separately and added to every candidate, so the candidates encoder sees candidate features incl. user features.
/// </summary>
public sealed class CandidateProjection : Module
{
    private readonly FeatureField[] _itemFields;
    private readonly FeatureField[] _userFields;
    private readonly Embedding[] _itemEmbeddings;
    private readonly Embedding[] _userEmbeddings;

    /// <summary>Builds the embeddings and the two projections for <paramref name="schema"/>, every weight drawn from <paramref name="rng"/> in a fixed order.</summary>
    /// <param name="schema">The features the model reads.</param>
    /// <param name="fieldWidth">Width of each categorical field's embedding.</param>
    /// <param name="dimension">The model width d.</param>
    /// <param name="rng">The initialisation generator.</param>
    public CandidateProjection(FeatureSchema schema, int fieldWidth, int dimension, Rng rng)
    {
        Schema = schema;
        _itemFields = [.. schema.Select(FeatureSide.Item, FeatureKind.Categorical)];
        _userFields = [.. schema.Select(FeatureSide.User, FeatureKind.Categorical), .. schema.Select(FeatureSide.Context, FeatureKind.Categorical)];
        _itemEmbeddings = [.. _itemFields.Select(f => Child($"item_{f.Name}", new Embedding(f.Size, fieldWidth, rng, 0.1f)))];
        _userEmbeddings = [.. _userFields.Select(f => Child($"user_{f.Name}", new Embedding(f.Size, fieldWidth, rng, 0.1f)))];
        ItemDenseWidth = schema.DenseWidth(FeatureSide.Item) + (2 * schema.PriorNames.Length) + schema.EmbeddingWidth;
        UserDenseWidth = schema.DenseWidth(FeatureSide.User) + schema.DenseWidth(FeatureSide.Context) + schema.EmbeddingWidth;
        ItemProjection = Child("item_projection", new Linear((_itemFields.Length * fieldWidth) + ItemDenseWidth, dimension, rng));
        UserProjection = Child("user_projection", new Linear(Math.Max(1, (_userFields.Length * fieldWidth) + UserDenseWidth), dimension, rng, bias: false));
    }

    /// <summary>The schema the projection was built for.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Width of an item's dense input: dense fields ⊕ priors (raw and log) ⊕ content embedding.</summary>
    public int ItemDenseWidth { get; }

    /// <summary>Width of the user side's dense input: user and context dense fields ⊕ the mean history embedding.</summary>
    public int UserDenseWidth { get; }

    /// <summary>The item-side projection into d.</summary>
    public Linear ItemProjection { get; }

    /// <summary>The user-side projection into d (no bias), added to every candidate.</summary>
    public Linear UserProjection { get; }

    /// <summary>Candidate inputs <c>[B, N, d]</c>.</summary>
    public Tensor Forward(RerankBatch batch)
    {
        var b = batch.Count;
        var n = batch.MaxCandidates;
        var parts = new List<Tensor>(_itemEmbeddings.Length + 1);
        var cat = batch.CandidateCategorical;
        for (var f = 0; f < _itemEmbeddings.Length; f++)
        {
            parts.Add(_itemEmbeddings[f].Forward(Column(cat, _itemFields.Length, f, b * n, _itemFields[f]), new TensorShape(b, n)));
        }

        parts.Add(Tensor.FromArray(ItemDense(batch), new TensorShape(b, n, ItemDenseWidth), Device));
        var items = ItemProjection.Forward(parts.Count == 1 ? parts[0] : Ops.Concat(parts, 2));
        var userParts = new List<Tensor>(_userEmbeddings.Length + 1);
        var userCat = Concat(batch.UserCategorical, batch.Schema.CategoricalCount(FeatureSide.User), batch.ContextCategorical, batch.Schema.CategoricalCount(FeatureSide.Context), b);
        for (var f = 0; f < _userEmbeddings.Length; f++)
        {
            userParts.Add(_userEmbeddings[f].Forward(Column(userCat, _userFields.Length, f, b, _userFields[f]), new TensorShape(b, 1)));
        }

        if (UserDenseWidth > 0 || userParts.Count == 0)
        {
            userParts.Add(Tensor.FromArray(UserDense(batch), new TensorShape(b, 1, Math.Max(1, UserDenseWidth)), Device));
        }

        var user = UserProjection.Forward(userParts.Count == 1 ? userParts[0] : Ops.Concat(userParts, 2));
        return Ops.Add(items, user);
    }

    /// <summary>
    /// The projection in <paramref name="graph"/>, as <see cref="Forward"/> computes it, declaring the model inputs the
    /// <c>onnx</c> plugin feeds: for candidates (<paramref name="slates"/> false) item_categorical, item_dense, priors and
    /// embeddings [batch, n, ·] with candidate_mask; for an evaluator's slates (true) slate_categorical, slate_dense,
    /// slate_priors and slate_embeddings [rows, l, ·] with slate_mask, a padding position's row zero (as the engine's gather
    /// of index −1). The user side reads user_categorical, user_dense and, with embeddings, history_embeddings and
    /// history_mask (their mean). Only the inputs the schema needs are declared; all axes but the widths are dynamic.
    /// </summary>
    /// <exception cref="InvalidOperationException">The schema has context features, which this export does not write (the <c>onnx</c> plugin feeds them as context_categorical and context_dense).</exception>
    public OnnxProjection ToOnnx(OnnxGraph graph, bool slates = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (Schema.CategoricalCount(FeatureSide.Context) > 0 || Schema.DenseWidth(FeatureSide.Context) > 0)
        {
            throw new InvalidOperationException("the schema has context features, which this model's ONNX export does not write yet; export needs a schema without them");
        }

        var inputs = new List<KeyValuePair<string, string>>();
        OnnxValue Input(string name, OnnxType type, params OnnxDim[] dims)
        {
            inputs.Add(new(name, name));
            return graph.Input(name, type, dims);
        }

        var (rows, axis) = slates ? ("rows", "l") : ("batch", "n");
        var mask = Input(slates ? "slate_mask" : "candidate_mask", OnnxType.Float, rows, axis);
        var parts = new List<OnnxValue>();
        if (_itemFields.Length > 0)
        {
            var ids = Input(slates ? "slate_categorical" : "item_categorical", OnnxType.Int64, rows, axis, _itemFields.Length);
            for (var f = 0; f < _itemFields.Length; f++)
            {
                parts.Add(_itemEmbeddings[f].ToOnnx(graph, graph.Gather(ids, graph.Scalar((long)f), axis: 2), $"features.item_{_itemFields[f].Name}.weight"));
            }
        }

        // Dense ‖ priors ‖ log priors ‖ embedding, zero rows for padding (as ItemDense).
        var dense = new List<OnnxValue>();
        var fd = Schema.DenseWidth(FeatureSide.Item);
        if (fd > 0)
        {
            dense.Add(Input(slates ? "slate_dense" : "item_dense", OnnxType.Float, rows, axis, fd));
        }

        var p = Schema.PriorNames.Length;
        if (p > 0)
        {
            var priors = Input(slates ? "slate_priors" : "priors", OnnxType.Float, rows, axis, p);
            dense.Add(priors);
            dense.Add(graph.Log(graph.Max(priors, graph.Scalar(1e-6f))));
        }

        var e = Schema.EmbeddingWidth;
        if (e > 0)
        {
            dense.Add(Input(slates ? "slate_embeddings" : "embeddings", OnnxType.Float, rows, axis, e));
        }

        if (dense.Count > 0)
        {
            parts.Add(graph.Mul(dense.Count == 1 ? dense[0] : graph.Concat(2, [.. dense]), graph.Unsqueeze(mask, -1)));
        }

        var items = ItemProjection.ToOnnx(graph, parts.Count == 1 ? parts[0] : graph.Concat(2, [.. parts]), "features.item_projection");

        var user = new List<OnnxValue>();
        if (_userFields.Length > 0)
        {
            var ids = Input("user_categorical", OnnxType.Int64, rows, _userFields.Length);
            for (var f = 0; f < _userFields.Length; f++)
            {
                user.Add(_userEmbeddings[f].ToOnnx(graph, graph.Gather(ids, graph.Scalar((long)f), axis: 1), $"features.user_{_userFields[f].Name}.weight"));
            }
        }

        var ud = Schema.DenseWidth(FeatureSide.User);
        if (ud > 0)
        {
            user.Add(Input("user_dense", OnnxType.Float, rows, ud));
        }

        if (e > 0)
        {
            // The mean of the history's content embeddings (zeros without history).
            var history = Input("history_embeddings", OnnxType.Float, rows, "h", e);
            var historyMask = Input("history_mask", OnnxType.Float, rows, "h");
            var summed = graph.ReduceSum(graph.Mul(history, graph.Unsqueeze(historyMask, -1)), false, 1);
            user.Add(graph.Div(summed, graph.Max(graph.ReduceSum(historyMask, true, 1), graph.Scalar(1f))));
        }

        if (user.Count == 0)
        {
            // No user side: the engine projects one zero column.
            user.Add(graph.ReduceSum(graph.Mul(mask, graph.Scalar(0f)), true, 1));
        }

        var projectedUser = UserProjection.ToOnnx(graph, graph.Unsqueeze(user.Count == 1 ? user[0] : graph.Concat(1, [.. user]), 1), "features.user_projection");
        var sum = graph.Add(items, projectedUser);
        return new OnnxProjection(slates ? graph.Mul(sum, graph.Unsqueeze(mask, -1)) : sum, mask, inputs);
    }

    /// <summary>Checks that <paramref name="batch"/> follows the schema the encoder was built for.</summary>
    public void Check(RerankBatch batch, string component)
    {
        var diffs = Schema.Differences(batch.Schema);
        if (diffs.Count > 0)
        {
            throw new ComponentException($"{component}: the batch's schema differs from the model's: {string.Join("; ", diffs)}");
        }
    }

    private float[] ItemDense(RerankBatch batch)
    {
        var b = batch.Count;
        var n = batch.MaxCandidates;
        var fd = batch.ItemDenseWidth;
        var p = batch.PriorCount;
        var e = batch.EmbeddingWidth;
        var dense = batch.CandidateDense;
        var priors = batch.Priors;
        var emb = batch.Embeddings;
        var mask = batch.CandidateMask;
        var result = new float[b * n * ItemDenseWidth];
        for (var i = 0; i < b * n; i++)
        {
            if (mask[i] == 0f)
            {
                continue;
            }

            var row = result.AsSpan(i * ItemDenseWidth, ItemDenseWidth);
            dense.AsSpan(i * fd, fd).CopyTo(row);
            for (var k = 0; k < p; k++)
            {
                var prior = priors[(i * p) + k];
                row[fd + k] = prior;
                row[fd + p + k] = MathF.Log(MathF.Max(prior, 1e-6f));
            }

            emb.AsSpan(i * e, e).CopyTo(row[(fd + (2 * p))..]);
        }

        return result;
    }

    private float[] UserDense(RerankBatch batch)
    {
        var b = batch.Count;
        var width = Math.Max(1, UserDenseWidth);
        var ud = batch.Schema.DenseWidth(FeatureSide.User);
        var xd = batch.Schema.DenseWidth(FeatureSide.Context);
        var e = batch.EmbeddingWidth;
        var h = batch.MaxHistory;
        var result = new float[b * width];
        for (var r = 0; r < b; r++)
        {
            var row = result.AsSpan(r * width, width);
            if (UserDenseWidth == 0)
            {
                continue;
            }

            batch.UserDense.AsSpan(r * ud, ud).CopyTo(row);
            batch.ContextDense.AsSpan(r * xd, xd).CopyTo(row[ud..]);
            var count = batch.HistoryCounts[r];
            var mean = row.Slice(ud + xd, e);
            for (var j = 0; j < count; j++)
            {
                var src = batch.HistoryEmbeddings.AsSpan(((r * h) + j) * e, e);
                for (var k = 0; k < e; k++)
                {
                    mean[k] += src[k] / count;
                }
            }
        }

        return result;
    }

    private static int[] Column(int[] ids, int fields, int f, int rows, FeatureField field)
    {
        var column = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            var id = ids[(i * fields) + f];
            if ((uint)id >= (uint)field.Size)
            {
                throw new ComponentException($"feature '{field.Name}' has id {id}, outside its vocabulary of {field.Size}");
            }

            column[i] = id;
        }

        return column;
    }

    private static int[] Concat(int[] a, int aw, int[] c, int cw, int rows)
    {
        var result = new int[rows * (aw + cw)];
        for (var r = 0; r < rows; r++)
        {
            a.AsSpan(r * aw, aw).CopyTo(result.AsSpan(r * (aw + cw)));
            c.AsSpan(r * cw, cw).CopyTo(result.AsSpan((r * (aw + cw)) + aw));
        }

        return result;
    }
}

/// <summary>A <see cref="CandidateProjection"/> in an ONNX graph: the projected items <c>[rows, n, d]</c>, their mask, and the declared inputs (name → <c>onnx</c> plugin source).</summary>
public sealed record OnnxProjection(OnnxValue Items, OnnxValue Mask, IReadOnlyList<KeyValuePair<string, string>> Inputs);
