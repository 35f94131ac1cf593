using Rerank.Abstractions;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

internal sealed partial class FeatureProcessing
{
    /// <summary>
    /// The feature processing in <paramref name="graph"/>, as <see cref="Forward"/> computes it at inference, reading the
    /// <c>onnx</c> plugin's sources through <paramref name="inputs"/> (candidate_mask, item_categorical, item_dense,
    /// embeddings, priors; user_categorical, user_dense, history_embeddings and history_mask; context_categorical and
    /// context_dense — only those the schema and the used fields need): the tokens <c>[batch, n, 2·N_f·e]</c> and e_user
    /// <c>[batch, UserWidth]</c>. Static groups are normalised once per request and broadcast along the candidates (the
    /// engine normalises identical copies).
    /// </summary>
    public (OnnxValue Tokens, OnnxValue User) ToOnnx(OnnxGraph graph, OnnxInputs inputs, string name)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        var e = _options.EmbeddingSize;
        var mask = inputs.Get("candidate_mask", OnnxType.Float, "batch", "n");

        var user = new List<OnnxValue>();
        var userFields = _schema.Select(FeatureSide.User, FeatureKind.Categorical);
        foreach (var (f, embedding) in _userCategorical)
        {
            var ids = inputs.Get("user_categorical", OnnxType.Int64, "batch", userFields.Length);
            user.Add(embedding.ToOnnx(graph, graph.Gather(ids, graph.Scalar((long)f), axis: 1), $"{name}.user_{userFields[f].Name}.weight"));
        }

        if (_userDense is not null)
        {
            user.Add(_userDense.ToOnnx(graph, inputs.Get("user_dense", OnnxType.Float, "batch", _schema.DenseWidth(FeatureSide.User)), $"{name}.user_dense"));
        }

        if (_history is not null)
        {
            var (sum, used) = inputs.RecentHistory(_schema.EmbeddingWidth, _options.HistoryWindow);
            user.Add(_history.ToOnnx(graph, graph.Div(sum, graph.Max(used, graph.Scalar(1f))), $"{name}.user_history"));
        }

        var context = new List<OnnxValue>();
        var contextFields = _schema.Select(FeatureSide.Context, FeatureKind.Categorical);
        foreach (var (f, embedding) in _contextCategorical)
        {
            var ids = inputs.Get("context_categorical", OnnxType.Int64, "batch", contextFields.Length);
            context.Add(embedding.ToOnnx(graph, graph.Gather(ids, graph.Scalar((long)f), axis: 1), $"{name}.context_{contextFields[f].Name}.weight"));
        }

        if (_contextDense is not null)
        {
            context.Add(_contextDense.ToOnnx(graph, inputs.Get("context_dense", OnnxType.Float, "batch", _schema.DenseWidth(FeatureSide.Context)), $"{name}.context_dense"));
        }

        var items = new List<OnnxValue>();
        var itemFields = _schema.Select(FeatureSide.Item, FeatureKind.Categorical);
        foreach (var (f, embedding) in _itemCategorical)
        {
            var ids = inputs.Get("item_categorical", OnnxType.Int64, "batch", "n", itemFields.Length);
            items.Add(embedding.ToOnnx(graph, graph.Gather(ids, graph.Scalar((long)f), axis: 2), $"{name}.item_{itemFields[f].Name}.weight"));
        }

        if (_itemDense is not null)
        {
            items.Add(_itemDense.ToOnnx(graph, inputs.Get("item_dense", OnnxType.Float, "batch", "n", _schema.DenseWidth(FeatureSide.Item)), $"{name}.item_dense"));
        }

        if (_itemContent is not null)
        {
            items.Add(_itemContent.ToOnnx(graph, inputs.Get("embeddings", OnnxType.Float, "batch", "n", _schema.EmbeddingWidth), $"{name}.item_content"));
        }

        var score = new List<OnnxValue>();
        if (_score is not null)
        {
            // The ranking score as logits of the clamped priors.
            var p = graph.Clip(inputs.Get("priors", OnnxType.Float, "batch", "n", _schema.PriorNames.Length), PriorFloor, 1f - PriorFloor);
            score.Add(_score.ToOnnx(graph, graph.Log(graph.Div(p, graph.Sub(graph.Scalar(1f), p))), $"{name}.score"));
        }

        // Group Layer Normalization, in the groups' order (empty groups have none); static groups broadcast along n.
        var zeros = graph.Unsqueeze(graph.Mul(mask, graph.Scalar(0f)), -1); // [batch, n, 1]
        var groups = new[] { ("gln_user", user, true), ("gln_context", context, true), ("gln_item", items, false), ("gln_score", score, false) }
            .Where(g => g.Item2.Count > 0).ToArray();
        var normed = new List<OnnxValue>();
        OnnxValue? userGroup = null;
        for (var g = 0; g < groups.Length; g++)
        {
            var (group, parts, isStatic) = groups[g];
            var norm = _groups[g].Norm.ToOnnx(graph, graph.Concat(isStatic ? 1 : 2, [.. parts]), $"{name}.{group}");
            userGroup = group == "gln_user" ? norm : userGroup;
            normed.Add(isStatic ? graph.Add(graph.Unsqueeze(norm, 1), zeros) : norm);
        }

        var flat = graph.Concat(2, [.. normed]);

        // Inter-domain attention across the N_f field embeddings of one position → Ẽ.
        var perField = graph.Reshape(flat, -1, Fields, e);
        var enhanced = InterDomain.ToOnnx(graph, perField, null, $"{name}.inter_domain");
        var back = graph.Concat(0, graph.Shape(flat, 0, 2), graph.Int64s(Fields * e));
        var tokens = graph.Concat(2, flat, graph.Reshape(enhanced, back));

        // e_user: the normalised user group, or zeros without user fields.
        var userOut = userGroup ?? graph.Add(graph.ReduceSum(graph.Mul(mask, graph.Scalar(0f)), true, 1), graph.Initializer($"{name}.no_user", OnnxTensor.Floats(new float[UserWidth], UserWidth)));
        return (tokens, userOut);
    }
}
