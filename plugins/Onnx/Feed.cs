using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rerank.Abstractions;

namespace Rerank.Plugins.Onnx;

/// <summary>One model input's values: float32 features or masks, or int64 ids, with the shape, converted to the element type the model declares.</summary>
internal sealed class Feed
{
    private readonly float[]? _floats;
    private readonly long[]? _ids;

    private Feed(float[]? floats, long[]? ids, long[] shape)
    {
        _floats = floats;
        _ids = ids;
        Shape = shape;
    }

    /// <summary>The tensor's shape.</summary>
    public long[] Shape { get; }

    /// <summary>Float values.</summary>
    public static Feed Floats(float[] values, params long[] shape) => new(values, null, shape);

    /// <summary>Integer ids.</summary>
    public static Feed Ids(long[] values, params long[] shape) => new(null, values, shape);

    /// <summary>The ONNX Runtime value, as <paramref name="type"/> (masks become bool or int64 when the model says so).</summary>
    public OrtValue ToOrtValue(TensorElementType type) => type switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(_floats ?? [.. _ids!.Select(v => (float)v)], Shape),
        TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory<bool>(_floats is { } f ? [.. f.Select(v => v != 0f)] : [.. _ids!.Select(v => v != 0)], Shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(_ids ?? [.. _floats!.Select(v => (long)v)], Shape),
        TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory<int>(_ids is { } l ? [.. l.Select(v => (int)v)] : [.. _floats!.Select(v => (int)v)], Shape),
        _ => throw new NotSupportedException($"no feed as {type}"),
    };

    /// <summary>The request-level or candidate-level field <paramref name="source"/> of <paramref name="batch"/>.</summary>
    public static Feed Of(InputSource source, RerankBatch batch)
    {
        long b = batch.Count;
        long n = batch.MaxCandidates;
        long h = batch.MaxHistory;
        return source switch
        {
            InputSource.CandidateFeatures => Floats(CandidateFeatures(batch), b, n, FeatureWidth(batch)),
            InputSource.CandidateMask => Floats(batch.CandidateMask, b, n),
            InputSource.Priors => Floats(batch.Priors, b, n, batch.PriorCount),
            InputSource.ItemDense => Floats(batch.CandidateDense, b, n, batch.ItemDenseWidth),
            InputSource.Embeddings => Floats(batch.Embeddings, b, n, batch.EmbeddingWidth),
            InputSource.ItemCategorical => Ids([.. batch.CandidateCategorical.Select(v => (long)v)], b, n, batch.ItemCategoricalCount),
            InputSource.UserCategorical => Ids([.. batch.UserCategorical.Select(v => (long)v)], b, batch.Schema.CategoricalCount(FeatureSide.User)),
            InputSource.UserDense => Floats(batch.UserDense, b, batch.Schema.DenseWidth(FeatureSide.User)),
            InputSource.ContextCategorical => Ids([.. batch.ContextCategorical.Select(v => (long)v)], b, batch.Schema.CategoricalCount(FeatureSide.Context)),
            InputSource.ContextDense => Floats(batch.ContextDense, b, batch.Schema.DenseWidth(FeatureSide.Context)),
            InputSource.Prices => Floats(batch.Prices, b, n),
            InputSource.HistoryCategorical => Ids([.. batch.HistoryCategorical.Select(v => (long)v)], b, h, batch.ItemCategoricalCount),
            InputSource.HistoryDense => Floats(batch.HistoryDense, b, h, batch.ItemDenseWidth),
            InputSource.HistoryEmbeddings => Floats(batch.HistoryEmbeddings, b, h, batch.EmbeddingWidth),
            InputSource.HistoryMask => Floats(batch.HistoryMask, b, h),
            InputSource.SlateSize => Ids([.. batch.SlateSizes.Select(v => (long)v)], b),
            _ => throw new ArgumentOutOfRangeException(nameof(source), source, "a slate-level source feeds evaluators only"),
        };
    }

    /// <summary>The field <paramref name="source"/> for evaluation rows: one row per slate (<paramref name="rows"/> lists each row's request and slate).</summary>
    public static Feed OfSlates(InputSource source, RerankBatch batch, IReadOnlyList<(int Request, Slate Slate)> rows, int length)
    {
        long r = rows.Count;
        switch (source)
        {
            case InputSource.SlateFeatures or InputSource.SlateCategorical or InputSource.SlatePriors or InputSource.SlateDense or InputSource.SlateEmbeddings or InputSource.SlatePrices:
                {
                    // The candidate field, its rows gathered in slate order; padding positions stay zero.
                    var all = Of(CandidateField(source), batch);
                    var width = all.Shape.Length == 3 ? (int)all.Shape[2] : 1;
                    var n = batch.MaxCandidates;
                    var floats = all._floats is null ? null : new float[rows.Count * length * width];
                    var ids = all._ids is null ? null : new long[rows.Count * length * width];
                    for (var i = 0; i < rows.Count; i++)
                    {
                        var (b, slate) = rows[i];
                        for (var t = 0; t < slate.Count; t++)
                        {
                            var from = ((b * n) + slate.Indices[t]) * width;
                            var to = ((i * length) + t) * width;
                            if (floats is not null)
                            {
                                all._floats.AsSpan(from, width).CopyTo(floats.AsSpan(to));
                            }
                            else
                            {
                                all._ids.AsSpan(from, width).CopyTo(ids.AsSpan(to));
                            }
                        }
                    }

                    long[] shape = all.Shape.Length == 3 ? [r, length, width] : [r, length];
                    return floats is not null ? Floats(floats, shape) : Ids(ids!, shape);
                }

            case InputSource.SlateMask:
                {
                    var values = new float[rows.Count * length];
                    for (var i = 0; i < rows.Count; i++)
                    {
                        values.AsSpan(i * length, rows[i].Slate.Count).Fill(1f);
                    }

                    return Floats(values, r, length);
                }

            default:
                {
                    // A request-level field, repeated for each of the request's slates.
                    var whole = Of(source, batch);
                    var perRequest = whole.Shape.Skip(1).Aggregate(1L, (a, d) => a * d);
                    var shape = (long[])whole.Shape.Clone();
                    shape[0] = r;
                    if (whole._floats is { } f)
                    {
                        var values = new float[rows.Count * perRequest];
                        for (var i = 0; i < rows.Count; i++)
                        {
                            f.AsSpan((int)(rows[i].Request * perRequest), (int)perRequest).CopyTo(values.AsSpan((int)(i * perRequest)));
                        }

                        return Floats(values, shape);
                    }

                    var ids = new long[rows.Count * perRequest];
                    for (var i = 0; i < rows.Count; i++)
                    {
                        whole._ids.AsSpan((int)(rows[i].Request * perRequest), (int)perRequest).CopyTo(ids.AsSpan((int)(i * perRequest)));
                    }

                    return Ids(ids, shape);
                }
        }
    }

    /// <summary>The candidate field a slate field gathers.</summary>
    private static InputSource CandidateField(InputSource source) => source switch
    {
        InputSource.SlateFeatures => InputSource.CandidateFeatures,
        InputSource.SlateCategorical => InputSource.ItemCategorical,
        InputSource.SlatePriors => InputSource.Priors,
        InputSource.SlateDense => InputSource.ItemDense,
        InputSource.SlatePrices => InputSource.Prices,
        _ => InputSource.Embeddings,
    };

    private static int FeatureWidth(RerankBatch batch) => batch.PriorCount + batch.ItemDenseWidth + batch.EmbeddingWidth;

    /// <summary>[B·N, P + F + E]: priors ‖ item dense ‖ embedding of every candidate slot (zeros for padding).</summary>
    private static float[] CandidateFeatures(RerankBatch batch)
    {
        int p = batch.PriorCount, f = batch.ItemDenseWidth, e = batch.EmbeddingWidth, width = p + f + e;
        var slots = batch.Count * batch.MaxCandidates;
        var values = new float[slots * width];
        var priors = batch.Priors;
        var dense = batch.CandidateDense;
        var embeddings = batch.Embeddings;
        for (var s = 0; s < slots; s++)
        {
            var row = values.AsSpan(s * width, width);
            priors.AsSpan(s * p, p).CopyTo(row);
            dense.AsSpan(s * f, f).CopyTo(row[p..]);
            embeddings.AsSpan(s * e, e).CopyTo(row[(p + f)..]);
        }

        return values;
    }
}
