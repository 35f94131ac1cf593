using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// DeGRe's feature processing (§4.1), shared in architecture by the evaluator and the generator's candidate encoder:
/// every feature field of a candidate position is embedded to the same width — user fields (categorical ids, dense
/// values, the mean of the recent history's content embeddings), context fields, item fields (categorical ids, dense
/// values, content embedding) and the ranking score (logits of the priors) — static (user, context) fields are
/// replicated along the candidates, each feature group is layer-normalised on its own (Group Layer Normalization), and
/// an inter-domain self-attention across the N_f fields of one position gives the enhanced embeddings Ẽ. The output
/// token is the flattened [E; Ẽ] (input of eq. 5).
/// </summary>
internal sealed partial class FeatureProcessing : Module
{
    private const float PriorFloor = 1e-4f;
    private readonly FeatureSchema _schema;
    private readonly FeatureOptions _options;
    private readonly List<(int Index, Embedding Embedding)> _userCategorical = [];
    private readonly List<(int Index, Embedding Embedding)> _contextCategorical = [];
    private readonly List<(int Index, Embedding Embedding)> _itemCategorical = [];
    private readonly Mlp? _userDense;
    private readonly Mlp? _contextDense;
    private readonly Mlp? _itemDense;
    private readonly Linear? _itemContent;
    private readonly Linear? _history;
    private readonly Mlp? _score;
    private readonly List<(int Start, int Width, LayerNorm Norm)> _groups = [];

    public FeatureProcessing(FeatureSchema schema, FeatureOptions options, Rng rng)
    {
        _schema = schema;
        _options = options;
        var e = options.EmbeddingSize;
        var field = 0;
        foreach (var name in options.Excluded)
        {
            if (!schema.Fields.Any(f => f.Kind == FeatureKind.Categorical && f.Name == name))
            {
                throw new ComponentException($"degre: exclude_fields names '{name}', which is not a categorical field of the schema ({string.Join(", ", schema.Fields.Where(f => f.Kind == FeatureKind.Categorical).Select(f => f.Name))})");
            }
        }

        foreach (var (f, index) in schema.Select(FeatureSide.User, FeatureKind.Categorical).Select((f, i) => (f, i)))
        {
            if (!options.Excluded.Contains(f.Name))
            {
                _userCategorical.Add((index, Child($"user_{f.Name}", new Embedding(f.Size, e, rng, 0.1f))));
            }
        }

        var userDenseWidth = schema.DenseWidth(FeatureSide.User);
        _userDense = userDenseWidth > 0 ? Child("user_dense", Dense(userDenseWidth, e, rng)) : null;
        _history = schema.EmbeddingWidth > 0 ? Child("user_history", new Linear(schema.EmbeddingWidth, e, rng)) : null;
        UserFields = _userCategorical.Count + (_userDense is null ? 0 : 1) + (_history is null ? 0 : 1);
        AddGroup("gln_user", ref field, UserFields);

        foreach (var (f, index) in schema.Select(FeatureSide.Context, FeatureKind.Categorical).Select((f, i) => (f, i)))
        {
            if (!options.Excluded.Contains(f.Name))
            {
                _contextCategorical.Add((index, Child($"context_{f.Name}", new Embedding(f.Size, e, rng, 0.1f))));
            }
        }

        var contextDenseWidth = schema.DenseWidth(FeatureSide.Context);
        _contextDense = contextDenseWidth > 0 ? Child("context_dense", Dense(contextDenseWidth, e, rng)) : null;
        AddGroup("gln_context", ref field, _contextCategorical.Count + (_contextDense is null ? 0 : 1));

        foreach (var (f, index) in schema.Select(FeatureSide.Item, FeatureKind.Categorical).Select((f, i) => (f, i)))
        {
            if (!options.Excluded.Contains(f.Name))
            {
                _itemCategorical.Add((index, Child($"item_{f.Name}", new Embedding(f.Size, e, rng, 0.1f))));
            }
        }

        var itemDenseWidth = schema.DenseWidth(FeatureSide.Item);
        _itemDense = itemDenseWidth > 0 ? Child("item_dense", Dense(itemDenseWidth, e, rng)) : null;
        _itemContent = schema.EmbeddingWidth > 0 ? Child("item_content", new Linear(schema.EmbeddingWidth, e, rng)) : null;
        AddGroup("gln_item", ref field, _itemCategorical.Count + (_itemDense is null ? 0 : 1) + (_itemContent is null ? 0 : 1));

        _score = schema.PriorNames.Length > 0 ? Child("score", Dense(schema.PriorNames.Length, e, rng)) : null;
        AddGroup("gln_score", ref field, _score is null ? 0 : 1);

        Fields = field;
        if (Fields == 0)
        {
            throw new ComponentException("degre: the feature schema has no field DeGRe can embed");
        }

        InterDomain = Child("inter_domain", new MultiHeadAttention(e, options.FieldHeads, rng));
    }

    /// <summary>N_f, the number of embedded fields of one position.</summary>
    public int Fields { get; }

    /// <summary>Number of user-group fields (the width of e_user is this × the embedding size).</summary>
    public int UserFields { get; }

    /// <summary>Width of one output token: the flattened original and enhanced embeddings, 2·N_f·e.</summary>
    public int TokenWidth => 2 * Fields * _options.EmbeddingSize;

    /// <summary>Width of e_user.</summary>
    public int UserWidth => Math.Max(1, UserFields) * _options.EmbeddingSize;

    /// <summary>The inter-domain attention across fields.</summary>
    public MultiHeadAttention InterDomain { get; }

    /// <summary>
    /// Processes every candidate of the batch: returns the tokens [B, N, 2·N_f·e] and e_user [B, UserWidth]
    /// (the layer-normalised user group; zeros when the schema has no user field).
    /// </summary>
    public (Tensor Tokens, Tensor User) Forward(RerankBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var b = batch.Count;
        var n = batch.MaxCandidates;
        var e = _options.EmbeddingSize;
        var fields = new List<Tensor>(Fields);
        var userParts = new List<Tensor>();
        var cats = batch.UserCategorical;
        var userStride = _schema.CategoricalCount(FeatureSide.User);
        foreach (var (f, embedding) in _userCategorical)
        {
            var ids = new int[b];
            for (var r = 0; r < b; r++)
            {
                ids[r] = cats[(r * userStride) + f];
            }

            userParts.Add(embedding.Forward(ids, new TensorShape(b)));
        }

        if (_userDense is not null)
        {
            userParts.Add(_userDense.Forward(Tensor.FromArray(batch.UserDense, new TensorShape(b, _schema.DenseWidth(FeatureSide.User)))));
        }

        if (_history is not null)
        {
            userParts.Add(_history.Forward(RecentHistory(batch)));
        }

        var contextParts = new List<Tensor>();
        var ctx = batch.ContextCategorical;
        var contextStride = _schema.CategoricalCount(FeatureSide.Context);
        foreach (var (f, embedding) in _contextCategorical)
        {
            var ids = new int[b];
            for (var r = 0; r < b; r++)
            {
                ids[r] = ctx[(r * contextStride) + f];
            }

            contextParts.Add(embedding.Forward(ids, new TensorShape(b)));
        }

        if (_contextDense is not null)
        {
            contextParts.Add(_contextDense.Forward(Tensor.FromArray(batch.ContextDense, new TensorShape(b, _schema.DenseWidth(FeatureSide.Context)))));
        }

        // Static fields are replicated along the N candidates.
        var zeros = Tensor.Zeros(new TensorShape(b, n, e));
        foreach (var part in userParts.Concat(contextParts))
        {
            fields.Add(Ops.Add(zeros, Ops.Reshape(part, new TensorShape(b, 1, e))));
        }

        var fc = batch.ItemCategoricalCount;
        var itemCats = batch.CandidateCategorical;
        foreach (var (f, embedding) in _itemCategorical)
        {
            var ids = new int[b * n];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = itemCats[(i * fc) + f];
            }

            fields.Add(embedding.Forward(ids, new TensorShape(b, n)));
        }

        if (_itemDense is not null)
        {
            fields.Add(_itemDense.Forward(Tensor.FromArray(batch.CandidateDense, new TensorShape(b, n, batch.ItemDenseWidth))));
        }

        if (_itemContent is not null)
        {
            fields.Add(_itemContent.Forward(Tensor.FromArray(batch.Embeddings, new TensorShape(b, n, batch.EmbeddingWidth))));
        }

        if (_score is not null)
        {
            fields.Add(_score.Forward(Tensor.FromArray(PriorLogits(batch.Priors), new TensorShape(b, n, batch.PriorCount))));
        }

        var flat = Ops.Concat(fields, 2);

        // Group Layer Normalization: each feature group (user, context, item, ranking score) normalised on its own.
        var normed = Ops.Concat([.. _groups.Select(g => g.Norm.Forward(Ops.Slice(flat, 2, g.Start * e, g.Width * e)))], 2);

        // Inter-domain attention across the N_f field embeddings of one position → Ẽ.
        var perField = Ops.Reshape(normed, new TensorShape(b * n, Fields, e));
        var enhanced = Ops.Reshape(InterDomain.Forward(perField), new TensorShape(b, n, Fields * e));
        var tokens = Ops.Concat([normed, enhanced], 2);

        var user = UserFields == 0
            ? Tensor.Zeros(new TensorShape(b, UserWidth))
            : Ops.Reshape(Ops.Slice(Ops.Slice(normed, 1, 0, 1), 2, 0, UserFields * e), new TensorShape(b, UserFields * e));
        return (tokens, user);
    }

    /// <summary>
    /// A dense field's embedding: Linear → GELU → Linear. A single Linear would leave a scalar's magnitude only in the
    /// length of its embedding, which the group's layer normalisation then removes; the non-linearity makes the
    /// direction depend on the value, so it survives GLN.
    /// </summary>
    private static Mlp Dense(int width, int e, Rng rng) => new([width, e, e], rng, Activation.Gelu);

    private static float[] PriorLogits(float[] priors)
    {
        var logits = new float[priors.Length];
        for (var i = 0; i < priors.Length; i++)
        {
            var p = Math.Clamp(priors[i], PriorFloor, 1f - PriorFloor);
            logits[i] = MathF.Log(p / (1f - p));
        }

        return logits;
    }

    private Tensor RecentHistory(RerankBatch batch)
    {
        var b = batch.Count;
        var w = batch.EmbeddingWidth;
        var pooled = new float[b * w];
        var source = batch.HistoryEmbeddings;
        for (var r = 0; r < b; r++)
        {
            var count = batch.HistoryCounts[r];
            var from = Math.Max(0, count - _options.HistoryWindow);
            var used = count - from;
            for (var h = from; h < count; h++)
            {
                var row = source.AsSpan(((r * batch.MaxHistory) + h) * w, w);
                for (var k = 0; k < w; k++)
                {
                    pooled[(r * w) + k] += row[k] / used;
                }
            }
        }

        return Tensor.FromArray(pooled, new TensorShape(b, w));
    }

    private void AddGroup(string name, ref int field, int count)
    {
        if (count == 0)
        {
            return;
        }

        var width = count * _options.EmbeddingSize;
        _groups.Add((field, count, Child(name, new LayerNorm(width))));
        field += count;
    }
}
