using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// The Sequential Ordered Regression Transformer (§3.1.1, Fig. 1a): E_input = E_item ⊕ E_position ⊕ E_user ⊕ E_score (eq. 3),
/// projected to the model width, pre-norm Transformer layers with a causal mask, then two MLP heads (click, pay).
/// With the ordered loss each head gives, at position j, the logits of θ_i,j for every threshold i (eq. 5: p_i,j = σ(x_jᵀθ_i,j),
/// a separate θ per (i, j)); with the point-wise ablation one logit per position.
/// </summary>
internal sealed partial class SortNetwork : Module
{
    private readonly Embedding[] _itemEmbeddings;
    private readonly Embedding[] _userEmbeddings;
    private readonly TransformerEncoderLayer[] _layers;
    private readonly int _maxLength;
    private readonly int _embeddingDim;
    private readonly bool _ordered;

    public SortNetwork(SortModelOptions options, FeatureSchema schema, Rng rng)
    {
        _maxLength = options.MaxLength;
        _embeddingDim = options.EmbeddingDim;
        _ordered = options.Loss == SortLoss.Ordered;
        ItemFieldNames = [.. schema.Select(FeatureSide.Item, FeatureKind.Categorical).Select(f => f.Name)];
        UserFieldNames = [.. schema.Select(FeatureSide.User, FeatureKind.Categorical).Select(f => f.Name)];
        _itemEmbeddings = [.. schema.Select(FeatureSide.Item, FeatureKind.Categorical)
            .Select(f => Child($"item.{f.Name}", new Embedding(f.Size, options.EmbeddingDim, rng, 0.1f)))];
        _userEmbeddings = [.. schema.Select(FeatureSide.User, FeatureKind.Categorical)
            .Select(f => Child($"user.{f.Name}", new Embedding(f.Size, options.EmbeddingDim, rng, 0.1f)))];
        Position = Child("position", new Embedding(options.MaxLength, options.PositionDim, rng, 0.1f));
        var input = ((_itemEmbeddings.Length + _userEmbeddings.Length) * options.EmbeddingDim) + options.PositionDim + SortFeatures.DenseWidth(schema);
        Input = Child("input", new Linear(input, options.ModelDim, rng));
        _layers = new TransformerEncoderLayer[options.Layers];
        for (var l = 0; l < _layers.Length; l++)
        {
            _layers[l] = Child($"layers.{l}", new TransformerEncoderLayer(options.ModelDim, options.Heads, options.FeedForward, rng, (float)options.Dropout));
        }

        Norm = Child("norm", new LayerNorm(options.ModelDim));
        var outputs = _ordered ? _maxLength * _maxLength : 1;
        Click = Child("click", new Mlp([options.ModelDim, options.HeadHidden, outputs], rng));
        Pay = Child("pay", new Mlp([options.ModelDim, options.HeadHidden, outputs], rng));
    }

    /// <summary>Item categorical fields, in input order.</summary>
    public string[] ItemFieldNames { get; }

    /// <summary>User categorical fields, in input order.</summary>
    public string[] UserFieldNames { get; }

    public Embedding Position { get; }

    public Linear Input { get; }

    public LayerNorm Norm { get; }

    public Mlp Click { get; }

    public Mlp Pay { get; }

    /// <summary>Threshold logits per position, <c>[R, T, K]</c> for click and pay: K = max_length (ordered; entry i is θ_{i+1,j}) or 1.</summary>
    public (Tensor Click, Tensor Pay) Forward(SortFeatures f)
    {
        if (f.Length > _maxLength)
        {
            throw new ComponentException($"SORT: a sub-list of {f.Length} items exceeds max_length {_maxLength}; train with a larger max_length");
        }

        var shape = new TensorShape(f.Rows, f.Length);
        var parts = new List<Tensor>(_itemEmbeddings.Length + _userEmbeddings.Length + 2);
        for (var k = 0; k < _itemEmbeddings.Length; k++)
        {
            parts.Add(_itemEmbeddings[k].Forward(f.ItemIds[k], shape));
        }

        parts.Add(Position.Forward(f.Positions, shape));
        for (var k = 0; k < _userEmbeddings.Length; k++)
        {
            parts.Add(_userEmbeddings[k].Forward(f.UserIds[k], shape));
        }

        parts.Add(Tensor.FromArray(f.Dense, new TensorShape(f.Rows, f.Length, f.Dense.Length / Math.Max(1, f.Rows * f.Length))));
        var x = Input.Forward(Ops.Concat(parts, 2)); // eq. 3, projected to the transformer width
        foreach (var layer in _layers)
        {
            x = layer.Forward(x, null, causal: true); // pre-norm, causal: position j sees only the sub-list up to j
        }

        x = Norm.Forward(x);
        return (Thresholds(Click.Forward(x), f), Thresholds(Pay.Forward(x), f));
    }

    /// <summary>Keeps, at position j, the block θ_{·,j} of the head's max_length² outputs (eq. 5: θ depends on i and j).</summary>
    private Tensor Thresholds(Tensor heads, SortFeatures f)
    {
        if (!_ordered)
        {
            return heads;
        }

        var t = f.Length;
        var l = _maxLength;
        var selector = new float[t * l];
        for (var j = 0; j < t; j++)
        {
            selector[(j * l) + j] = 1f;
        }

        var blocks = Ops.Reshape(heads, new TensorShape(f.Rows, t, l, l));
        var picked = Ops.Mul(blocks, Tensor.FromArray(selector, new TensorShape(1, t, l, 1)));
        return Ops.Sum(picked, 2);
    }
}
