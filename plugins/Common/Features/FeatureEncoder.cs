using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.Common;

/// <summary>
/// Flattened feature vectors from a <see cref="RerankBatch"/>: every categorical field through its own embedding table,
/// concatenated with the dense fields (items: dense ⊕ content embedding ⊕ priors ⊕ scaled log priors; history items carry zeros there;
/// user: user and context fields ⊕ a constant 1).
/// </summary>
public sealed class FeatureEncoder : Module
{
    private const float PriorFloor = 1e-4f;
    private readonly FeatureSchema _schema;
    private readonly Embedding[] _itemTables;
    private readonly Embedding[] _userTables;
    private readonly Embedding[] _contextTables;

    /// <summary>Builds one embedding table of width <paramref name="embeddingDim"/> per categorical field of <paramref name="schema"/>, drawn from <paramref name="rng"/>.</summary>
    /// <param name="schema">The features the model reads.</param>
    /// <param name="embeddingDim">Width of each categorical field's embedding.</param>
    /// <param name="rng">The initialisation generator.</param>
    public FeatureEncoder(FeatureSchema schema, int embeddingDim, Rng rng)
    {
        _schema = schema;
        _itemTables = Tables("item", schema.Select(FeatureSide.Item, FeatureKind.Categorical), embeddingDim, rng);
        _userTables = Tables("user", schema.Select(FeatureSide.User, FeatureKind.Categorical), embeddingDim, rng);
        _contextTables = Tables("context", schema.Select(FeatureSide.Context, FeatureKind.Categorical), embeddingDim, rng);
        ItemWidth = (_itemTables.Length * embeddingDim) + schema.DenseWidth(FeatureSide.Item) + schema.EmbeddingWidth + (2 * schema.PriorNames.Length);
        UserWidth = ((_userTables.Length + _contextTables.Length) * embeddingDim) + schema.DenseWidth(FeatureSide.User) + schema.DenseWidth(FeatureSide.Context) + 1;
    }

    /// <summary>Width d_i of one item's flattened features.</summary>
    public int ItemWidth { get; }

    /// <summary>Width d_u of the user's flattened features.</summary>
    public int UserWidth { get; }

    /// <summary>Encodes the batch; history is cut to the newest <paramref name="historyCap"/> items (0: none).</summary>
    public EncodedBatch Encode(RerankBatch batch, int historyCap)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var b = batch.Count;
        var n = batch.MaxCandidates;
        var listIndex = new int[b * n];
        for (var r = 0; r < b; r++)
        {
            for (var i = 0; i < n; i++)
            {
                listIndex[(r * n) + i] = i < batch.CandidateCounts[r] ? i : -1;
            }
        }

        var list = Items(batch, listIndex, n, history: false);
        var h = Math.Min(historyCap, batch.MaxHistory);
        Tensor? history = null;
        float[]? historyMask = null;
        if (h > 0)
        {
            var historyIndex = new int[b * h];
            historyMask = new float[b * h];
            for (var r = 0; r < b; r++)
            {
                var count = batch.HistoryCounts[r];
                var kept = Math.Min(count, h);
                for (var t = 0; t < h; t++)
                {
                    // The newest `kept` items, oldest first, left-aligned.
                    historyIndex[(r * h) + t] = t < kept ? count - kept + t : -1;
                    historyMask[(r * h) + t] = t < kept ? 1f : 0f;
                }
            }

            history = Items(batch, historyIndex, h, history: true);
        }

        return new EncodedBatch(
            list,
            Tensor.FromArray(batch.CandidateMask, new TensorShape(b, n)),
            history,
            historyMask is null ? null : Tensor.FromArray(historyMask, new TensorShape(b, h)),
            User(batch),
            batch.CandidateCounts);
    }

    /// <summary>
    /// The encoding in <paramref name="graph"/>, as <see cref="Encode"/> computes it: declares the model inputs the <c>onnx</c>
    /// plugin feeds (candidate_mask always; item_categorical, item_dense, embeddings, priors, user_categorical, user_dense
    /// where the schema has them; with <paramref name="historyCap"/> &gt; 0 the history fields and history_mask), all with
    /// dynamic batch, list and history axes. The history is cut to its newest <paramref name="historyCap"/> items.
    /// </summary>
    /// <exception cref="InvalidOperationException">The schema has context features, which this export does not write (the <c>onnx</c> plugin feeds them as context_categorical and context_dense).</exception>
    public OnnxEncoded ToOnnx(OnnxGraph graph, int historyCap = 0)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (_contextTables.Length > 0 || _schema.DenseWidth(FeatureSide.Context) > 0)
        {
            throw new InvalidOperationException("the schema has context features, which this model's ONNX export does not write yet; export needs a schema without them");
        }

        var inputs = new List<KeyValuePair<string, string>>();
        OnnxValue Input(string name, OnnxType type, params OnnxDim[] dims)
        {
            inputs.Add(new(name, name));
            return graph.Input(name, type, dims);
        }

        var mask = Input("candidate_mask", OnnxType.Float, "batch", "n");
        var p = _schema.PriorNames.Length;
        var fd = _schema.DenseWidth(FeatureSide.Item);
        var e = _schema.EmbeddingWidth;

        // Candidates: categorical embeddings ‖ dense ‖ embedding ‖ priors ‖ scaled log priors; padding slots are zero rows.
        var items = graph.Mul(
            graph.Concat(2, [.. ItemParts(
                "item_categorical", "item_dense", "embeddings", "n", priors =>
                    [priors, graph.Div(graph.Log(graph.Max(priors, graph.Scalar(PriorFloor))), graph.Scalar(-MathF.Log(PriorFloor)))])]),
            graph.Unsqueeze(mask, -1));

        OnnxValue? historyMean = null;
        OnnxValue? history = null;
        OnnxValue? kept = null;
        if (historyCap > 0)
        {
            // History items carry zeros where candidates have priors.
            var historyMask = Input("history_mask", OnnxType.Float, "batch", "h");
            var zeros = graph.Initializer("features.history.zero_priors", OnnxTensor.Floats(new float[2 * p], 2 * p));
            var parts = ItemParts("history_categorical", "history_dense", "history_embeddings", "h", null);
            if (p > 0)
            {
                parts.Add(graph.Mul(graph.Unsqueeze(historyMask, -1), zeros));
            }

            // Keep the newest `historyCap` of the `count` real items: positions count − cap ≤ t < count.
            var count = graph.ReduceSum(historyMask, true, 1);
            var position = graph.Sub(graph.CumSum(graph.Add(graph.Mul(historyMask, graph.Scalar(0f)), graph.Scalar(1f)), 1), graph.Scalar(1f));
            var newest = graph.Cast(graph.GreaterOrEqual(position, graph.Sub(count, graph.Scalar((float)historyCap))), OnnxType.Float);
            kept = graph.Mul(historyMask, newest);
            history = graph.Mul(graph.Concat(2, [.. parts]), graph.Unsqueeze(kept, -1));
            var summed = graph.ReduceSum(history, false, 1);
            historyMean = graph.Mul(summed, graph.Div(graph.Scalar(1f), graph.Max(graph.ReduceSum(kept, true, 1), graph.Scalar(1f))));
        }

        var user = new List<OnnxValue>();
        if (_userTables.Length > 0)
        {
            var ids = Input("user_categorical", OnnxType.Int64, "batch", _userTables.Length);
            for (var f = 0; f < _userTables.Length; f++)
            {
                var field = graph.Gather(ids, graph.Scalar((long)f), axis: 1);
                user.Add(_userTables[f].ToOnnx(graph, field, $"features.user.{f}.weight"));
            }
        }

        var ud = _schema.DenseWidth(FeatureSide.User);
        if (ud > 0)
        {
            user.Add(Input("user_dense", OnnxType.Float, "batch", ud));
        }

        // The constant 1 column, [B, 1].
        user.Add(graph.Add(graph.ReduceSum(graph.Mul(mask, graph.Scalar(0f)), true, 1), graph.Scalar(1f)));
        return new OnnxEncoded(graph.Concat(1, [.. user]), items, mask, historyMean, ItemWidth, inputs, history, kept);

        List<OnnxValue> ItemParts(string categorical, string dense, string embeddings, string axis, Func<OnnxValue, OnnxValue[]>? priors)
        {
            var parts = new List<OnnxValue>();
            if (_itemTables.Length > 0)
            {
                var ids = Input(categorical, OnnxType.Int64, "batch", axis, _itemTables.Length);
                for (var f = 0; f < _itemTables.Length; f++)
                {
                    var field = graph.Gather(ids, graph.Scalar((long)f), axis: 2);
                    parts.Add(_itemTables[f].ToOnnx(graph, field, $"features.item.{f}.weight"));
                }
            }

            if (fd > 0)
            {
                parts.Add(Input(dense, OnnxType.Float, "batch", axis, fd));
            }

            if (e > 0)
            {
                parts.Add(Input(embeddings, OnnxType.Float, "batch", axis, e));
            }

            if (priors is not null && p > 0)
            {
                parts.AddRange(priors(Input("priors", OnnxType.Float, "batch", axis, p)));
            }

            return parts;
        }
    }

    private Tensor Items(RerankBatch batch, int[] index, int slots, bool history)
    {
        var b = batch.Count;
        var sourceSlots = history ? batch.MaxHistory : batch.MaxCandidates;
        var fc = batch.ItemCategoricalCount;
        var categorical = history ? batch.HistoryCategorical : batch.CandidateCategorical;
        var parts = new List<Tensor>();
        for (var f = 0; f < _itemTables.Length; f++)
        {
            var ids = new int[b * slots];
            for (var r = 0; r < b; r++)
            {
                for (var t = 0; t < slots; t++)
                {
                    var src = index[(r * slots) + t];
                    ids[(r * slots) + t] = src < 0 ? -1 : categorical[(((r * sourceSlots) + src) * fc) + f];
                }
            }

            parts.Add(_itemTables[f].Forward(ids, new TensorShape(b, slots)));
        }

        var fd = batch.ItemDenseWidth;
        var e = batch.EmbeddingWidth;
        var p = batch.PriorCount;
        var width = fd + e + (2 * p);
        if (width > 0)
        {
            var dense = history ? batch.HistoryDense : batch.CandidateDense;
            var embeddings = history ? batch.HistoryEmbeddings : batch.Embeddings;
            var values = new float[b * slots * width];
            for (var r = 0; r < b; r++)
            {
                for (var t = 0; t < slots; t++)
                {
                    var src = index[(r * slots) + t];
                    if (src < 0)
                    {
                        continue;
                    }

                    var row = values.AsSpan(((r * slots) + t) * width, width);
                    var at = (r * sourceSlots) + src;
                    dense.AsSpan(at * fd, fd).CopyTo(row);
                    embeddings.AsSpan(at * e, e).CopyTo(row[fd..]);
                    if (!history)
                    {
                        var priors = batch.Priors.AsSpan(at * p, p);
                        priors.CopyTo(row[(fd + e)..]);
                        for (var k = 0; k < p; k++)
                        {
                            // Priors are probabilities near 0: their log spreads them (scaled to about [−1, 0]).
                            row[fd + e + p + k] = MathF.Log(MathF.Max(priors[k], PriorFloor)) / -MathF.Log(PriorFloor);
                        }
                    }
                }
            }

            parts.Add(Tensor.FromArray(values, new TensorShape(b, slots, width)));
        }

        return parts.Count == 1 ? parts[0] : Ops.Concat(parts, 2);
    }

    private Tensor User(RerankBatch batch)
    {
        var b = batch.Count;
        var parts = new List<Tensor>();
        Categorical(_userTables, batch.UserCategorical);
        Categorical(_contextTables, batch.ContextCategorical);
        var ud = _schema.DenseWidth(FeatureSide.User);
        var xd = _schema.DenseWidth(FeatureSide.Context);
        var width = ud + xd + 1;
        var values = new float[b * width];
        for (var r = 0; r < b; r++)
        {
            var row = values.AsSpan(r * width, width);
            batch.UserDense.AsSpan(r * ud, ud).CopyTo(row);
            batch.ContextDense.AsSpan(r * xd, xd).CopyTo(row[ud..]);
            row[^1] = 1f;
        }

        parts.Add(Tensor.FromArray(values, new TensorShape(b, width)));
        return parts.Count == 1 ? parts[0] : Ops.Concat(parts, 1);

        void Categorical(Embedding[] tables, int[] all)
        {
            for (var f = 0; f < tables.Length; f++)
            {
                var ids = new int[b];
                for (var r = 0; r < b; r++)
                {
                    ids[r] = all[(r * tables.Length) + f];
                }

                parts.Add(tables[f].Forward(ids, new TensorShape(b)));
            }
        }
    }

    private Embedding[] Tables(string side, IReadOnlyList<FeatureField> fields, int dim, Rng rng)
    {
        var tables = new Embedding[fields.Count];
        for (var f = 0; f < fields.Count; f++)
        {
            tables[f] = Child($"{side}.{fields[f].Name}", new Embedding(fields[f].Size, dim, rng, 0.1f));
        }

        return tables;
    }
}
