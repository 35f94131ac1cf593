using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Seq2Slate (Bello et al. 2018) as a pointer network on a transformer: the candidates encoder (same shape as NAR4Rec's)
/// encodes the candidates once; a causal decoder reads, at step t, the encoding of the item picked at t − 1 (a zero vector
/// at t = 0, so the position embedding acts as the start token) plus a position embedding, attends to its own past and to
/// the candidates, and points: logits q_t·k_iᵀ/√d over the candidates not yet picked.
/// </summary>
internal sealed class Seq2SlateModel : Module
{
    private readonly TransformerDecoderLayer[] _decoder;

    public Seq2SlateModel(FeatureSchema schema, Seq2SlateOptions o, Rng rng)
    {
        Features = Child("features", new CandidateProjection(schema, o.FieldWidth, o.Dimension, rng));
        Encoder = Child("encoder", new TransformerEncoder(o.EncoderLayers, o.Dimension, o.Heads, o.FeedForward, rng));
        Positions = Child("positions", new Embedding(o.Positions, o.Dimension, rng, 0.5f));
        _decoder = [.. Enumerable.Range(0, o.DecoderLayers).Select(i => Child($"decoder_{i}", new TransformerDecoderLayer(o.Dimension, o.Heads, o.FeedForward, rng)))];
        DecoderNorm = Child("decoder_norm", new LayerNorm(o.Dimension));
        PointerQuery = Child("pointer_query", new Linear(o.Dimension, o.Dimension, rng));
        PointerKey = Child("pointer_key", new Linear(o.Dimension, o.Dimension, rng));
        Dimension = o.Dimension;
        Heads = o.Heads;
        MaxPositions = o.Positions;
    }

    public CandidateProjection Features { get; }

    public TransformerEncoder Encoder { get; }

    public Embedding Positions { get; }

    public IReadOnlyList<TransformerDecoderLayer> Decoder => _decoder;

    public LayerNorm DecoderNorm { get; }

    public Linear PointerQuery { get; }

    public Linear PointerKey { get; }

    public int Dimension { get; }

    public int Heads { get; }

    public int MaxPositions { get; }

    public float Scale => 1f / MathF.Sqrt(Dimension);

    /// <summary>Candidate encodings <c>[B, N, d]</c>.</summary>
    public Tensor Encode(RerankBatch batch, Tensor keyMask) => Encoder.Forward(Features.Forward(batch), keyMask);

    /// <summary>
    /// Teacher-forced pointer logits <c>[B, L, N]</c> for the sequences <paramref name="targets"/> <c>[B, L]</c> (−1 past the end):
    /// the decoder input at t is the encoding of targets[t − 1].
    /// </summary>
    public Tensor TeacherForced(Tensor memory, Tensor keyMask, int[] targets, int length)
    {
        var b = memory.Shape[0];
        var previous = new int[b * length];
        var ids = new int[b * length];
        for (var r = 0; r < b; r++)
        {
            previous[r * length] = -1;
            for (var t = 0; t < length; t++)
            {
                ids[(r * length) + t] = t;
                if (t > 0)
                {
                    previous[(r * length) + t] = targets[(r * length) + t - 1];
                }
            }
        }

        var x = Ops.Add(Ops.GatherRows(memory, previous, length), Positions.Forward(ids, new TensorShape(b, length)));
        foreach (var layer in _decoder)
        {
            x = layer.Forward(x, memory, keyMask, causal: true);
        }

        var query = PointerQuery.Forward(DecoderNorm.Forward(x));
        return Ops.MatMul(query, PointerKey.Forward(memory), transB: true, alpha: Scale);
    }
}
