using Rerank.Abstractions;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

/// <summary>The feature processing in an ONNX graph, for the evaluators' exports (one row per slate).</summary>
internal sealed partial class FeatureProcessing
{
    /// <summary>Whether the model reads context fields, which the <c>onnx</c> plugin cannot feed (so it cannot be exported).</summary>
    public bool ReadsContext => _contextCategorical.Count > 0 || _contextDense is not null;

    /// <summary>
    /// The tokens <c>[rows, l, 2·N_f·e]</c> of every slate position in <paramref name="inputs"/>' graph, as
    /// <see cref="Forward"/> computes them for the slate's candidates (each position is processed on its own, so a slate's
    /// items give what the engine gathers from its processed candidates; padding positions get tokens nothing reads). Reads
    /// slate_categorical, slate_dense, slate_priors, slate_embeddings, user_categorical, user_dense, history_embeddings and
    /// history_mask as the schema needs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model reads context fields (<see cref="ReadsContext"/>).</exception>
    public OnnxValue ToOnnx(OnnxInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (ReadsContext)
        {
            throw new InvalidOperationException("the model reads context features, which the onnx plugin cannot feed; export needs a schema without them (or exclude_fields for the categorical ones)");
        }

        var g = inputs.Graph;
        var e = _options.EmbeddingSize;
        var fields = new List<OnnxValue>(Fields);

        // Static (user) fields [rows, e], replicated along the slate's positions.
        var zeros = g.Unsqueeze(g.Mul(inputs.SlateMask, g.Scalar(0f)), -1); // [rows, l, 1]
        var userNames = _schema.Select(FeatureSide.User, FeatureKind.Categorical).Select(f => f.Name).ToArray();
        foreach (var (f, embedding) in _userCategorical)
        {
            var ids = inputs.Get("user_categorical", OnnxType.Int64, "rows", userNames.Length);
            fields.Add(embedding.ToOnnx(g, g.Gather(ids, g.Scalar((long)f), axis: 1), $"features.user_{userNames[f]}.weight"));
        }

        if (_userDense is not null)
        {
            fields.Add(_userDense.ToOnnx(g, inputs.Get("user_dense", OnnxType.Float, "rows", _schema.DenseWidth(FeatureSide.User)), "features.user_dense"));
        }

        if (_history is not null)
        {
            var history = inputs.Get("history_embeddings", OnnxType.Float, "rows", "h", _schema.EmbeddingWidth);
            var recent = RecentHistory(g, inputs.Get("history_mask", OnnxType.Float, "rows", "h"), _options.HistoryWindow);
            var summed = g.ReduceSum(g.Mul(history, g.Unsqueeze(recent, -1)), false, 1);
            var pooled = g.Div(summed, g.Max(g.ReduceSum(recent, true, 1), g.Scalar(1f))); // the mean of the recent items, zeros without history
            fields.Add(_history.ToOnnx(g, pooled, "features.user_history"));
        }

        for (var i = 0; i < fields.Count; i++)
        {
            fields[i] = g.Add(zeros, g.Unsqueeze(fields[i], 1));
        }

        // Item fields [rows, l, e] from the slate's items.
        var itemNames = _schema.Select(FeatureSide.Item, FeatureKind.Categorical).Select(f => f.Name).ToArray();
        foreach (var (f, embedding) in _itemCategorical)
        {
            var ids = inputs.Get("slate_categorical", OnnxType.Int64, "rows", "l", itemNames.Length);
            fields.Add(embedding.ToOnnx(g, g.Gather(ids, g.Scalar((long)f), axis: 2), $"features.item_{itemNames[f]}.weight"));
        }

        if (_itemDense is not null)
        {
            fields.Add(_itemDense.ToOnnx(g, inputs.Get("slate_dense", OnnxType.Float, "rows", "l", _schema.DenseWidth(FeatureSide.Item)), "features.item_dense"));
        }

        if (_itemContent is not null)
        {
            fields.Add(_itemContent.ToOnnx(g, inputs.Get("slate_embeddings", OnnxType.Float, "rows", "l", _schema.EmbeddingWidth), "features.item_content"));
        }

        if (_score is not null)
        {
            // The ranking score as logits of the clamped priors.
            var p = g.Clip(inputs.Get("slate_priors", OnnxType.Float, "rows", "l", _schema.PriorNames.Length), PriorFloor, 1f - PriorFloor);
            fields.Add(_score.ToOnnx(g, g.Log(g.Div(p, g.Sub(g.Scalar(1f), p))), "features.score"));
        }

        // Group Layer Normalization, then the inter-domain attention across the N_f fields of one position.
        var flat = g.Concat(2, [.. fields]);
        var normed = g.Concat(2, [.. _groups.Select((group, i) => group.Norm.ToOnnx(
            g,
            g.Slice(flat, g.Int64s(group.Start * e), g.Int64s((group.Start + group.Width) * e), 2),
            $"features.gln_{i}"))]);
        var perField = g.Reshape(normed, -1, Fields, e);
        var enhanced = InterDomain.ToOnnx(g, perField, null, "features.inter_domain");
        var shape = g.Concat(0, g.Shape(normed, 0, 2), g.Int64s(Fields * e));
        return g.Concat(2, normed, g.Node("Reshape", [enhanced, shape]));
    }

    /// <summary>
    /// Which history items are among the <paramref name="window"/> most recent, float <c>[rows, h]</c> from the history
    /// mask (a history's real items come first, as the batch packs them): 1 for h in [count − window, count).
    /// </summary>
    public static OnnxValue RecentHistory(OnnxGraph g, OnnxValue historyMask, int window)
    {
        ArgumentNullException.ThrowIfNull(g);
        var h = g.Squeeze(g.Shape(historyMask, 1, 2), 0);
        var positions = g.Unsqueeze(g.Cast(g.Range(g.Scalar(0L), h, g.Scalar(1L)), OnnxType.Float), 0); // [1, h]
        var from = g.Sub(g.ReduceSum(historyMask, true, 1), g.Scalar((float)window)); // [rows, 1]
        return g.Mul(historyMask, g.Cast(g.GreaterOrEqual(positions, from), OnnxType.Float));
    }
}
