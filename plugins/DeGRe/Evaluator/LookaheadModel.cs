using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// The lookahead evaluator's network (§4.1): feature processing per position, flatten [E; Ẽ] with a positional
/// encoding → Linear (eq. 5) → causal Transformer with N_E layers (eq. 6) → MLP → the L×L logits O, where
/// P(V ≥ k | l_1:t) = σ(O_t,k) (eq. 7) and V̂(l_1:t) = Σ_{k≤t} σ(O_t,k) (eq. 4).
/// </summary>
internal sealed class LookaheadModel : Module
{
    private readonly TransformerEncoderLayer[] _layers;
    private readonly Mlp? _extra;

    public LookaheadModel(FeatureSchema schema, EvaluatorOptions options, Rng rng)
    {
        Schema = schema;
        MaxLength = options.MaxLength;
        Features = Child("features", new FeatureProcessing(schema, new FeatureOptions(options.EmbeddingSize, options.FieldHeads, options.HistoryWindow, options.ExcludeFields), rng));
        Positions = Child("positions", new Embedding(options.MaxLength, options.EmbeddingSize, rng, 0.1f));
        ExtraFields = (options.ListContext == true ? ListContext.Width : 0) + (options.HistoryAffinity == true ? 1 : 0);
        var contextWidth = ExtraFields > 0 ? options.EmbeddingSize : 0;
        Input = Child("input", new Linear(Features.TokenWidth + options.EmbeddingSize + contextWidth, options.ModelWidth, rng));
        _layers = new TransformerEncoderLayer[options.Layers];
        for (var i = 0; i < _layers.Length; i++)
        {
            _layers[i] = Child($"layers.{i}", new TransformerEncoderLayer(options.ModelWidth, options.Heads, 2 * options.ModelWidth, rng));
        }

        Norm = Child("norm", new LayerNorm(options.ModelWidth));
        Head = Child("head", new Mlp([options.ModelWidth, options.ModelWidth, options.MaxLength], rng));

        // Created last, so that without list context every other weight draws the same random numbers as before.
        _extra = ExtraFields > 0
            ? Child("extra_fields", new Mlp([ExtraFields, options.EmbeddingSize, options.EmbeddingSize], rng, Activation.Gelu))
            : null;
        ReadsListContext = options.ListContext == true;
        ReadsAffinity = options.HistoryAffinity == true;
        HistoryWindow = options.HistoryWindow;
    }

    public FeatureSchema Schema { get; }

    public int MaxLength { get; }

    public FeatureProcessing Features { get; }

    public Embedding Positions { get; }

    public Linear Input { get; }

    public LayerNorm Norm { get; }

    public Mlp Head { get; }

    /// <summary>Whether positions also read the list-context fields (<see cref="ListContext"/>).</summary>
    public bool ReadsListContext { get; }

    /// <summary>Whether positions also read the candidate's history affinity (<see cref="ListContext.Affinity"/>).</summary>
    public bool ReadsAffinity { get; }

    /// <summary>Recent history items pooled for the history affinity.</summary>
    public int HistoryWindow { get; }

    /// <summary>Extra scalar fields per position (list context, history affinity), embedded together by one dense field.</summary>
    public int ExtraFields { get; }

    /// <summary>
    /// The logits O [S, T, L_max] of S sequences of length T. <paramref name="candidates"/> are the processed candidates
    /// (tokens [B, N, F]); <paramref name="items"/> holds, row-major [S, T], flat candidate slots b·N + i.
    /// </summary>
    public Tensor Logits(CandidateEncoding candidates, int[] items, int sequences, int length)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var tokens = candidates.Tokens;
        if (length > MaxLength)
        {
            throw new ComponentException($"degre evaluator: a slate of {length} items exceeds max_length {MaxLength}");
        }

        var width = tokens.Shape[2];
        var flat = Ops.Reshape(tokens, new TensorShape(1, tokens.Shape[0] * tokens.Shape[1], width));
        var gathered = Ops.Reshape(Ops.GatherRows(flat, items, items.Length), new TensorShape(sequences, length, width));
        var positions = new int[sequences * length];
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = i % length;
        }

        var x = Ops.Concat([gathered, Positions.Forward(positions, new TensorShape(sequences, length))], 2);
        if (_extra is not null)
        {
            var fields = ListContext.Compute(candidates, items, sequences, length);
            x = Ops.Concat([x, _extra.Forward(Tensor.FromArray(fields, new TensorShape(sequences, length, ExtraFields)))], 2);
        }

        x = Input.Forward(x); // eq. 5
        foreach (var layer in _layers)
        {
            x = layer.Forward(x, null, causal: true); // eq. 6
        }

        return Head.Forward(Norm.Forward(x));
    }

    /// <summary>V̂ at every position t of each sequence from the logits: Σ_{k≤t} σ(O_t,k) (eqs. 4, 7), [S, T] row-major.</summary>
    public static float[] Values(Tensor logits, int sequences, int length)
    {
        var width = logits.Shape[2];
        var o = logits.Span;
        var values = new float[sequences * length];
        for (var s = 0; s < sequences; s++)
        {
            for (var t = 0; t < length; t++)
            {
                var row = o.Slice(((s * length) + t) * width, width);
                var v = 0f;
                for (var k = 0; k <= t; k++)
                {
                    v += 1f / (1f + MathF.Exp(-row[k]));
                }

                values[(s * length) + t] = v;
            }
        }

        return values;
    }

    /// <summary>
    /// The model in <paramref name="inputs"/>' graph as the evaluator computes a slate's value, one row per slate: the
    /// tokens of the slate's items ‖ the position embeddings (‖ the embedded extra fields), the input projection, the causal
    /// layers, the head, then V̂ at the slate's last position, Σ_{k≤t} σ(O_t,k) with t = its length − 1 (eq. 4) —
    /// <c>[rows]</c>, 0 for an empty slate. The layers are causal, so the padding after a slate changes nothing before it.
    /// </summary>
    public OnnxValue ToOnnx(OnnxInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var g = inputs.Graph;
        var mask = inputs.Get("slate_mask", OnnxType.Float, "rows", "l");
        var ids = g.Range(g.Scalar(0L), g.Squeeze(g.Shape(mask, 1, 2), 0), g.Scalar(1L)); // positions 0 … l − 1
        var zeros = g.Unsqueeze(g.Mul(mask, g.Scalar(0f)), -1); // [rows, l, 1]
        var parts = new List<OnnxValue> { Features.ToOnnx(inputs, slates: true).Tokens, g.Add(zeros, g.Unsqueeze(Positions.ToOnnx(g, ids, "positions.weight"), 0)) };
        if (_extra is not null)
        {
            var fields = ListContext.ToOnnx(inputs, Schema.EmbeddingWidth, ReadsListContext, ReadsAffinity, HistoryWindow);
            parts.Add(_extra.ToOnnx(g, fields, "extra_fields"));
        }

        var x = Input.ToOnnx(g, g.Concat(2, [.. parts]), "input"); // eq. 5
        for (var i = 0; i < _layers.Length; i++)
        {
            x = _layers[i].ToOnnx(g, x, null, $"layers.{i}", causal: true); // eq. 6
        }

        var probabilities = g.Sigmoid(Head.ToOnnx(g, Norm.ToOnnx(g, x, "norm"), "head")); // σ(O) [rows, l, L_max]

        // V̂ at every position t: the sum over k ≤ t (eqs. 4, 7).
        var k = g.Int64s([.. Enumerable.Range(0, MaxLength).Select(i => (long)i)]);
        var upToT = g.Cast(g.Less(g.Unsqueeze(k, 0), g.Unsqueeze(g.Add(ids, g.Scalar(1L)), 1)), OnnxType.Float); // [l, L_max]
        var values = g.ReduceSum(g.Mul(probabilities, upToT), false, 2); // [rows, l]

        // The slate's value is V̂ at its last position.
        var last = g.Sub(g.ReduceSum(mask, true, 1), g.Scalar(1f)); // [rows, 1]
        var isLast = g.Cast(g.Equal(g.Unsqueeze(g.Cast(ids, OnnxType.Float), 0), last), OnnxType.Float);
        return g.ReduceSum(g.Mul(values, isLast), false, 1);
    }
}
