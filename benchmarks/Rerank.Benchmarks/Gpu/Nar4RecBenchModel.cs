using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Benchmarks;

/// <summary>
/// The NAR4Rec generator's network (plugins/Nar4Rec GeneratorModel, default sizes: d = 32, 4 heads, FFN 64, one
/// candidates-encoder layer, one position-encoder layer, 10 positions, field width 8) over a fixed synthetic schema
/// (two item categorical fields and eight dense item features, one user field), with seeded random weights. The
/// bundled PyTorch script (nar4rec_bench.py) builds the same network, so throughputs compare like for like.
/// </summary>
internal sealed class Nar4RecBenchModel : Module
{
    public const int Dimension = 32;
    public const int Heads = 4;
    public const int FeedForward = 64;
    public const int FieldWidth = 8;
    public const int Positions = 10;
    public const int ItemFields = 2;
    public const int DenseWidth = 8;
    public const int Vocabulary = 1000;

    private readonly Embedding[] _itemEmbeddings;
    private readonly Embedding _userEmbedding;
    private readonly Linear _itemProjection;
    private readonly Linear _userProjection;
    private readonly TransformerEncoder _candidatesEncoder;
    private readonly Embedding _positions;
    private readonly TransformerDecoderLayer _positionLayer;
    private readonly LayerNorm _positionNorm;

    public Nar4RecBenchModel(Rng rng)
    {
        _itemEmbeddings = [.. Enumerable.Range(0, ItemFields).Select(f => Child($"item_field_{f}", new Embedding(Vocabulary, FieldWidth, rng, 0.1f)))];
        _userEmbedding = Child("user_field_0", new Embedding(Vocabulary, FieldWidth, rng, 0.1f));
        _itemProjection = Child("item_projection", new Linear((ItemFields * FieldWidth) + DenseWidth, Dimension, rng));
        _userProjection = Child("user_projection", new Linear(FieldWidth, Dimension, rng));
        _candidatesEncoder = Child("candidates_encoder", new TransformerEncoder(1, Dimension, Heads, FeedForward, rng));
        _positions = Child("positions", new Embedding(Positions, Dimension, rng, 0.5f));
        _positionLayer = Child("position_encoder_0", new TransformerDecoderLayer(Dimension, Heads, FeedForward, rng));
        _positionNorm = Child("position_norm", new LayerNorm(Dimension));
    }

    /// <summary>log p̂ [B, L, N] (eq. 12): candidates encoder, position encoder with cross-attention (eq. 11), scaled scores, masked log-softmax.</summary>
    public Tensor LogProbabilities(Nar4RecBenchBatch batch)
    {
        var (candidates, mask, positions, selfMask) = Embed(batch);
        return Score(candidates, mask, positions, selfMask);
    }

    /// <summary>
    /// The part that reads host arrays: item and user fields embedded and projected (the embedding lookups upload their
    /// id lists), the candidate mask, the position embeddings and the positions' mask, all on the model's device.
    /// </summary>
    public (Tensor Candidates, Tensor Mask, Tensor Positions, Tensor SelfMask) Embed(Nar4RecBenchBatch batch)
    {
        int b = batch.Batch, n = batch.Candidates, l = batch.SlateSize;
        var device = Device;
        var parts = new List<Tensor>(ItemFields + 1);
        for (var f = 0; f < ItemFields; f++)
        {
            parts.Add(_itemEmbeddings[f].Forward(batch.ItemIds[f], new TensorShape(b, n)));
        }

        parts.Add(Tensor.FromArray(batch.Dense, new TensorShape(b, n, DenseWidth), device));
        var items = _itemProjection.Forward(Ops.Concat(parts, 2));
        var user = _userProjection.Forward(_userEmbedding.Forward(batch.UserIds, new TensorShape(b, 1)));
        var mask = Tensor.FromArray(batch.Mask, new TensorShape(b, n), device);
        var selfMask = Tensor.FromArray(batch.PositionMask, new TensorShape(b, l), device);
        var t = _positions.Forward(batch.PositionIds, new TensorShape(b, l));
        return (Ops.Add(items, user), mask, t, selfMask);
    }

    /// <summary>The device-only part (what a CUDA graph captures): both encoders, the scores and the masked log-softmax.</summary>
    public Tensor Score(Tensor candidatesIn, Tensor mask, Tensor positions, Tensor selfMask)
    {
        int b = candidatesIn.Shape[0], n = candidatesIn.Shape[1];
        var candidates = _candidatesEncoder.Forward(candidatesIn, mask);
        var t = _positionNorm.Forward(_positionLayer.Forward(positions, candidates, mask, causal: false, selfMask: selfMask));
        var scores = Ops.MatMul(t, candidates, transB: true, alpha: 1f / MathF.Sqrt(Dimension));
        return Ops.LogSoftmax(scores, Ops.Reshape(mask, new TensorShape(b, 1, n)));
    }
}

/// <summary>One benchmark batch's candidate features (host arrays), seeded.</summary>
internal sealed class Nar4RecBenchBatch
{
    public Nar4RecBenchBatch(int batch, int candidates, int slateSize, ulong seed)
    {
        var rng = new Rng(seed);
        Batch = batch;
        Candidates = candidates;
        SlateSize = slateSize;
        ItemIds = [.. Enumerable.Range(0, Nar4RecBenchModel.ItemFields).Select(_ => Ids(rng, batch * candidates))];
        UserIds = Ids(rng, batch);
        Dense = new float[batch * candidates * Nar4RecBenchModel.DenseWidth];
        for (var i = 0; i < Dense.Length; i++)
        {
            Dense[i] = rng.NextNormal();
        }

        Mask = new float[batch * candidates];
        Array.Fill(Mask, 1f);
        PositionIds = [.. Enumerable.Range(0, batch * slateSize).Select(i => i % slateSize)];
        PositionMask = new float[batch * slateSize];
        Array.Fill(PositionMask, 1f);
    }

    public int Batch { get; }

    public int Candidates { get; }

    public int SlateSize { get; }

    public int[][] ItemIds { get; }

    public int[] UserIds { get; }

    public float[] Dense { get; }

    public float[] Mask { get; }

    public int[] PositionIds { get; }

    public float[] PositionMask { get; }

    private static int[] Ids(Rng rng, int count) => [.. Enumerable.Range(0, count).Select(_ => rng.NextInt(Nar4RecBenchModel.Vocabulary))];
}
