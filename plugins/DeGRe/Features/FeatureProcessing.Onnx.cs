using Rerank.Abstractions;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

/// <summary>The feature processing in an ONNX graph, for the evaluators' exports (one row per slate) and the generator's (its candidates).</summary>
internal sealed partial class FeatureProcessing
{
    /// <summary>
    /// The feature processing in <paramref name="inputs"/>' graph, as <see cref="Forward"/> computes it at inference:
    /// the tokens <c>[rows, l or n, 2·N_f·e]</c> and e_user <c>[rows, UserWidth]</c>. For an evaluator's slates
    /// (<paramref name="slates"/>) each position is processed on its own from slate_mask, slate_categorical, slate_dense,
    /// slate_embeddings and slate_priors, so a slate's items give what the engine gathers from its processed candidates
    /// (padding positions get tokens nothing reads); for candidates from candidate_mask, item_categorical, item_dense,
    /// embeddings and priors. Both read user_categorical, user_dense, history_embeddings, history_mask,
    /// context_categorical and context_dense — only those the schema and the used fields need. Static groups are
    /// normalised once per row and broadcast along the positions (the engine normalises identical copies).
    /// </summary>
    public (OnnxValue Tokens, OnnxValue User) ToOnnx(OnnxInputs inputs, bool slates)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var g = inputs.Graph;
        var e = _options.EmbeddingSize;
        var (rows, axis) = slates ? ("rows", "l") : ("batch", "n");
        string Source(string slate, string candidate) => slates ? slate : candidate;
        var mask = inputs.Get(Source("slate_mask", "candidate_mask"), OnnxType.Float, rows, axis);

        var user = new List<OnnxValue>();
        var userFields = _schema.Select(FeatureSide.User, FeatureKind.Categorical);
        foreach (var (f, embedding) in _userCategorical)
        {
            var ids = inputs.Get("user_categorical", OnnxType.Int64, rows, userFields.Length);
            user.Add(embedding.ToOnnx(g, g.Gather(ids, g.Scalar((long)f), axis: 1), $"features.user_{userFields[f].Name}.weight"));
        }

        if (_userDense is not null)
        {
            user.Add(_userDense.ToOnnx(g, inputs.Get("user_dense", OnnxType.Float, rows, _schema.DenseWidth(FeatureSide.User)), "features.user_dense"));
        }

        if (_history is not null)
        {
            // The mean of the recent history's content embeddings, zeros without history.
            var (sum, used) = inputs.RecentHistory(_schema.EmbeddingWidth, _options.HistoryWindow);
            user.Add(_history.ToOnnx(g, g.Div(sum, g.Max(used, g.Scalar(1f))), "features.user_history"));
        }

        var context = new List<OnnxValue>();
        var contextFields = _schema.Select(FeatureSide.Context, FeatureKind.Categorical);
        foreach (var (f, embedding) in _contextCategorical)
        {
            var ids = inputs.Get("context_categorical", OnnxType.Int64, rows, contextFields.Length);
            context.Add(embedding.ToOnnx(g, g.Gather(ids, g.Scalar((long)f), axis: 1), $"features.context_{contextFields[f].Name}.weight"));
        }

        if (_contextDense is not null)
        {
            context.Add(_contextDense.ToOnnx(g, inputs.Get("context_dense", OnnxType.Float, rows, _schema.DenseWidth(FeatureSide.Context)), "features.context_dense"));
        }

        var items = new List<OnnxValue>();
        var itemFields = _schema.Select(FeatureSide.Item, FeatureKind.Categorical);
        foreach (var (f, embedding) in _itemCategorical)
        {
            var ids = inputs.Get(Source("slate_categorical", "item_categorical"), OnnxType.Int64, rows, axis, itemFields.Length);
            items.Add(embedding.ToOnnx(g, g.Gather(ids, g.Scalar((long)f), axis: 2), $"features.item_{itemFields[f].Name}.weight"));
        }

        if (_itemDense is not null)
        {
            items.Add(_itemDense.ToOnnx(g, inputs.Get(Source("slate_dense", "item_dense"), OnnxType.Float, rows, axis, _schema.DenseWidth(FeatureSide.Item)), "features.item_dense"));
        }

        if (_itemContent is not null)
        {
            items.Add(_itemContent.ToOnnx(g, inputs.Get(Source("slate_embeddings", "embeddings"), OnnxType.Float, rows, axis, _schema.EmbeddingWidth), "features.item_content"));
        }

        var score = new List<OnnxValue>();
        if (_score is not null)
        {
            // The ranking score as logits of the clamped priors.
            var p = g.Clip(inputs.Get(Source("slate_priors", "priors"), OnnxType.Float, rows, axis, _schema.PriorNames.Length), PriorFloor, 1f - PriorFloor);
            score.Add(_score.ToOnnx(g, g.Log(g.Div(p, g.Sub(g.Scalar(1f), p))), "features.score"));
        }

        // Group Layer Normalization, in the groups' order (empty groups have none); static groups broadcast along the positions.
        var zeros = g.Unsqueeze(g.Mul(mask, g.Scalar(0f)), -1); // [rows, positions, 1]
        var groups = new[] { ("gln_user", user, true), ("gln_context", context, true), ("gln_item", items, false), ("gln_score", score, false) }
            .Where(group => group.Item2.Count > 0).ToArray();
        var normed = new List<OnnxValue>();
        OnnxValue? userGroup = null;
        for (var i = 0; i < groups.Length; i++)
        {
            var (name, parts, isStatic) = groups[i];
            var norm = _groups[i].Norm.ToOnnx(g, g.Concat(isStatic ? 1 : 2, [.. parts]), $"features.{name}");
            userGroup = name == "gln_user" ? norm : userGroup;
            normed.Add(isStatic ? g.Add(g.Unsqueeze(norm, 1), zeros) : norm);
        }

        // Inter-domain attention across the N_f field embeddings of one position → Ẽ.
        var flat = g.Concat(2, [.. normed]);
        var enhanced = InterDomain.ToOnnx(g, g.Reshape(flat, -1, Fields, e), null, "features.inter_domain");
        var tokens = g.Concat(2, flat, g.Reshape(enhanced, g.Concat(0, g.Shape(flat, 0, 2), g.Int64s(Fields * e))));

        // e_user: the normalised user group, or zeros without user fields.
        return (tokens, userGroup ?? g.Add(g.ReduceSum(g.Mul(mask, g.Scalar(0f)), true, 1), g.Initializer("features.no_user", OnnxTensor.Floats(new float[UserWidth], UserWidth))));
    }
}
