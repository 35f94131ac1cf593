using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// DeGRe-G's network (§4.3): a bidirectional candidate encoder over the evaluator's feature processing (GLN +
/// inter-domain attention) giving memories m_i; a user-guided causal decoder starting from e_start = W_p e_user + b_p
/// (eq. 11) whose input at step t is the memory of the item chosen at t − 1; and candidate-constrained pointer
/// probabilities P_θ(v_i | l_&lt;t) = softmax over the unchosen candidates of h_t·m_iᵀ (eq. 12).
/// </summary>
internal sealed partial class GeneratorModel : Module
{
    private const float MaskedLogit = -1e4f;
    private readonly TransformerDecoderLayer[] _decoder;
    private readonly float _scale;
    private readonly Mlp? _extra;
    private readonly int _extraFields;
    private readonly bool _listContext;
    private readonly bool _affinity;
    private readonly int _historyWindow;

    public GeneratorModel(FeatureSchema schema, GeneratorOptions options, Rng rng)
    {
        Schema = schema;
        MaxLength = options.MaxLength;
        Width = options.ModelWidth;
        _scale = 1f / MathF.Sqrt(options.ModelWidth);
        Features = Child("features", new FeatureProcessing(schema, new FeatureOptions(options.EmbeddingSize, options.FieldHeads, options.HistoryWindow, options.ExcludeFields), rng));
        Input = Child("input", new Linear(Features.TokenWidth, options.ModelWidth, rng));
        Encoder = Child("encoder", new TransformerEncoder(options.Layers, options.ModelWidth, options.Heads, 2 * options.ModelWidth, rng));
        Start = Child("start", new Linear(Features.UserWidth, options.ModelWidth, rng));
        Positions = Child("positions", new Embedding(options.MaxLength, options.ModelWidth, rng, 0.1f));
        _decoder = new TransformerDecoderLayer[options.Layers];
        for (var i = 0; i < _decoder.Length; i++)
        {
            _decoder[i] = Child($"decoder.{i}", new TransformerDecoderLayer(options.ModelWidth, options.Heads, 2 * options.ModelWidth, rng));
        }

        Norm = Child("decoder_norm", new LayerNorm(options.ModelWidth));

        // The extension fields (list context, history affinity) add a learned term to each pointer logit; created last,
        // so that without them every other weight draws the same random numbers as before.
        _listContext = options.ListContext == true;
        _affinity = options.HistoryAffinity == true;
        _historyWindow = options.HistoryWindow;
        _extraFields = (_listContext ? ListContext.Width : 0) + (_affinity ? 1 : 0);
        _extra = _extraFields > 0 ? Child("extra_fields", new Mlp([_extraFields, options.EmbeddingSize, 1], rng, Activation.Gelu)) : null;
    }

    public FeatureSchema Schema { get; }

    public int MaxLength { get; }

    public int Width { get; }

    public FeatureProcessing Features { get; }

    public Linear Input { get; }

    public TransformerEncoder Encoder { get; }

    public Linear Start { get; }

    public Embedding Positions { get; }

    public LayerNorm Norm { get; }

    /// <summary>Encodes the candidates of a batch: the memories [B, N, d] and the decoder's start inputs [B, d] (eq. 11).</summary>
    public (Tensor Memory, Tensor Start) Encode(RerankBatch batch)
    {
        var (tokens, user) = Features.Forward(batch);
        var mask = Tensor.FromArray(batch.CandidateMask, new TensorShape(batch.Count, batch.MaxCandidates));
        var memory = Encoder.Forward(Input.Forward(tokens), mask);
        return (memory, Start.Forward(user)); // eq. 11: e_start = W_p e_user + b_p
    }

    /// <summary>
    /// Log-probabilities [S, T, N] of the pointer at every step of S sequences of length T (eq. 12). Sequence s belongs to
    /// request <paramref name="requests"/>[s] and has chosen <paramref name="items"/>[s, t] (row-major [S, T]) at step t;
    /// the prediction at t sees items before t only. Padding and earlier choices are masked out.
    /// </summary>
    public Tensor LogProbabilities(RerankBatch batch, Tensor memory, Tensor start, int[] requests, int[] items, int length)
    {
        var b = batch.Count;
        var n = batch.MaxCandidates;
        var s = requests.Length;
        if (length > MaxLength)
        {
            throw new ComponentException($"degre generator: a slate of {length} items exceeds max_length {MaxLength}");
        }

        // Decoder inputs: e_start at t = 0, the memory of the item chosen at t − 1 afterwards.
        var table = Ops.Concat([Ops.Reshape(memory, new TensorShape(1, b * n, Width)), Ops.Reshape(start, new TensorShape(1, b, Width))], 1);
        var inputIndex = new int[s * length];
        var memoryIndex = new int[s * n];
        var memoryMask = new float[s * n];
        var pointerMask = new float[s * length * n];
        var positions = new int[s * length];
        for (var q = 0; q < s; q++)
        {
            var r = requests[q];
            for (var i = 0; i < n; i++)
            {
                memoryIndex[(q * n) + i] = (r * n) + i;
                memoryMask[(q * n) + i] = batch.CandidateMask[(r * n) + i];
            }

            for (var t = 0; t < length; t++)
            {
                positions[(q * length) + t] = t;
                inputIndex[(q * length) + t] = t == 0 ? (b * n) + r : (r * n) + items[(q * length) + t - 1];
                var row = pointerMask.AsSpan(((q * length) + t) * n, n);
                memoryMask.AsSpan(q * n, n).CopyTo(row);
                for (var u = 0; u < t; u++)
                {
                    row[items[(q * length) + u]] = 0f;
                }
            }
        }

        var x = Ops.Reshape(Ops.GatherRows(table, inputIndex, inputIndex.Length), new TensorShape(s, length, Width));
        x = Ops.Add(x, Positions.Forward(positions, new TensorShape(s, length)));
        var mem = Ops.Reshape(Ops.GatherRows(Ops.Reshape(memory, new TensorShape(1, b * n, Width)), memoryIndex, memoryIndex.Length), new TensorShape(s, n, Width));
        var memMask = Tensor.FromArray(memoryMask, new TensorShape(s, n));
        foreach (var layer in _decoder)
        {
            x = layer.Forward(x, mem, memMask, causal: true);
        }

        var h = Norm.Forward(x);
        var logits = Ops.MatMul(h, mem, transB: true, alpha: _scale); // eq. 12: h_t^dec m_iᵀ (scaled by 1/√d)
        if (_extra is not null)
        {
            // Extension: + g(fields of candidate i given the items chosen before t), the evaluator's extra fields.
            var unit = ListContext.UnitContent(batch);
            var fields = ListContext.ForCandidates(_listContext ? unit : [], batch.EmbeddingWidth, _affinity ? ListContext.Affinity(batch, _historyWindow, unit) : [], n, requests, items, length);
            logits = Ops.Add(logits, Ops.Reshape(_extra.Forward(Tensor.FromArray(fields, new TensorShape(s, length, n, _extraFields))), new TensorShape(s, length, n)));
        }

        for (var i = 0; i < pointerMask.Length; i++)
        {
            pointerMask[i] = pointerMask[i] > 0f ? 0f : MaskedLogit;
        }

        return Ops.LogSoftmax(Ops.Add(logits, Tensor.FromArray(pointerMask, new TensorShape(s, length, n))));
    }
}
