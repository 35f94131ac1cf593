using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Pear;

/// <summary>
/// PEAR (Li et al., WWW'22): feature-level interaction over user ⊕ item (eq. 1), a learnable CLS token after the initial
/// list, history self-attention (eq. 2), merged cross-attention of the list over [history, list] with separate key and
/// value projections (eq. 3), an item click head (eq. 4) and a CLS list-level head (eq. 5), trained with
/// L = L_m + α·L_aux (eq. 6).
/// </summary>
internal sealed partial class PearModel : Module, IListLearner
{
    private readonly PearOptions _options;
    private readonly Mlp? _mlp;
    private readonly CrossNetwork? _cross;
    private readonly Linear? _crossOut;
    private readonly Tensor _cls;
    private readonly Linear _historyQuery;
    private readonly Linear _historyKey;
    private readonly Linear _historyValue;
    private readonly Linear _query;
    private readonly Linear _historyKeyMerged;
    private readonly Linear _historyValueMerged;
    private readonly Linear _listKey;
    private readonly Linear _listValue;
    private readonly Dropout _dropout;
    private readonly Linear _itemHead;
    private readonly Linear _listHead;
    private readonly Embedding? _recency;

    public PearModel(FeatureSchema schema, PearOptions options, Rng rng)
    {
        _options = options;
        var d = options.Hidden;
        Features = Child("features", new FeatureEncoder(schema, options.EmbeddingDim, rng));
        var x = Features.UserWidth + Features.ItemWidth + RecencyInputWidth;
        if (options.Interaction == FeatureInteraction.Mlp)
        {
            _mlp = Child("interaction", new Mlp([x, options.InteractionHidden, d], rng, Activation.Relu));
        }
        else
        {
            _cross = Child("interaction.cross", new CrossNetwork(x, options.CrossLayers, rng));
            _crossOut = Child("interaction.output", new Linear(x, d, rng));
        }

        _cls = Parameter("cls", Tensor.Normal(new TensorShape(1, 1, d), rng, 0.1f));
        _historyQuery = Child("history.query", new Linear(d, d, rng));
        _historyKey = Child("history.key", new Linear(d, d, rng));
        _historyValue = Child("history.value", new Linear(d, d, rng));
        _query = Child("merged.query", new Linear(d, d, rng));
        _historyKeyMerged = Child("merged.key_history", new Linear(d, d, rng));
        _historyValueMerged = Child("merged.value_history", new Linear(d, d, rng));
        _listKey = Child("merged.key_list", new Linear(d, d, rng));
        _listValue = Child("merged.value_list", new Linear(d, d, rng));
        _dropout = Child("dropout", new Dropout(options.Dropout, rng));
        _itemHead = Child("item_head", new Linear(d, 1, rng));
        _listHead = Child("list_head", new Linear(d, 1, rng));
        if (options.HistoryPositions && options.HistoryLength > 0)
        {
            // Extension (history_positions): one learned row per recency rank, 0 = newest; drawn last, so the other
            // parameters' initial values do not depend on this option.
            var width = options.HistoryPositionSite == HistoryPositionSite.Attention ? d : options.EmbeddingDim;
            _recency = Child("history.recency", new Embedding(options.HistoryLength, width, rng, 0.1f));
        }
    }

    /// <summary>The feature embedding and flattening.</summary>
    public FeatureEncoder Features { get; }

    /// <summary>How many of the newest history items are read.</summary>
    public int HistoryCap => _options.HistoryLength;

    /// <summary>Runs the model on an encoded batch.</summary>
    public PearOutput Forward(EncodedBatch x)
    {
        var b = x.Batch;
        var n = x.Slots;
        var d = _options.Hidden;

        // eq. 1: Z = W₂ σ(W₁ X + b₁) + b₂ over every user ⊕ item column of the list (and below, of the history).
        var userItem = x.UserItem();
        if (RecencyInputWidth > 0)
        {
            // List items are not history: zeros in the recency columns of eq. 1's input.
            userItem = Ops.Concat([userItem, Tensor.Zeros(b, n, RecencyInputWidth)], 2);
        }

        var zs = _dropout.Forward(Interact(userItem));

        // The CLS token closes the initial list: Z_S ∈ R^{d × (m+1)}.
        var clsRows = Ops.Add(_cls, Tensor.Zeros(b, 1, d));
        zs = Ops.Concat([zs, clsRows], 1);
        var listMask = Ops.Concat([x.ListMask, Tensor.Full(new TensorShape(b, 1), 1f)], 1);

        var q = _query.Forward(zs);
        var k = _listKey.Forward(zs);
        var v = _listValue.Forward(zs);
        var keyMask = listMask;
        if (x.History is { } history && x.HistoryMask is { } historyMask)
        {
            var h = history.Shape[1];
            var historyInput = Ops.Concat([x.UserPerSlot(h), history], 2);
            Tensor zb;
            if (_recency is null)
            {
                zb = Interact(historyInput);
            }
            else if (_options.HistoryPositionSite == HistoryPositionSite.Interaction)
            {
                // Extension: the recency embedding as an item feature, an input of eq. 1.
                zb = Interact(Ops.Concat([historyInput, Recency(historyMask)], 2));
            }
            else
            {
                // Extension: Z_B + the recency embedding, before eq. 2 (as BST/SASRec add positions to their inputs).
                zb = Ops.Add(Interact(historyInput), Recency(historyMask));
            }

            zb = _dropout.Forward(zb);

            // eq. 2: H_B = softmax((W_Q Z_B)ᵀ (W_K Z_B) / √d_h) (W_V Z_B)ᵀ, multi-head, over real history items.
            var hb = Ops.MultiHeadAttention(_historyQuery.Forward(zb), _historyKey.Forward(zb), _historyValue.Forward(zb), _options.Heads, historyMask);

            // eq. 3: keys [W_k1 H_B, W_k2 Z_S] and values [W_v1 H_B, W_v2 Z_S], concatenated along the sequence.
            k = Ops.Concat([_historyKeyMerged.Forward(hb), k], 1);
            v = Ops.Concat([_historyValueMerged.Forward(hb), v], 1);
            keyMask = Ops.Concat([historyMask, listMask], 1);
        }

        var hs = Ops.MultiHeadAttention(q, k, v, _options.Heads, keyMask);
        if (_options.Residual)
        {
            hs = Ops.Add(hs, zs);
        }

        hs = _dropout.Forward(hs);

        // eq. 4: a one-layer MLP per list item (sigmoid in the loss); eq. 5: the CLS row's list-level logit.
        var items = Ops.Reshape(_itemHead.Forward(Ops.Slice(hs, 1, 0, n)), new TensorShape(b, n));
        var list = Ops.Reshape(_listHead.Forward(Ops.Slice(hs, 1, n, 1)), new TensorShape(b));
        return new PearOutput(items, list);
    }

    /// <summary>
    /// eq. 6: L = L_m + α·L_aux with L_m the click BCE over real candidates (eq. 4) and L_aux the BCE of "the list holds a
    /// positive" (eq. 5), both as means.
    /// </summary>
    public Tensor Loss(PearOutput output, float[] labels, Tensor mask)
    {
        var b = output.ListLogits.Shape[0];
        var n = output.ItemLogits.Shape[1];
        var m = mask.ToArray();
        var real = Math.Max(1f, m.Sum());
        var weights = Tensor.FromArray(m.Select(v => v * m.Length / real).ToArray(), output.ItemLogits.Shape);
        var main = Ops.BinaryCrossEntropyWithLogits(output.ItemLogits, Tensor.FromArray(labels, output.ItemLogits.Shape), weights);
        if (_options.Alpha == 0f)
        {
            return main;
        }

        var any = new float[b];
        for (var r = 0; r < b; r++)
        {
            for (var i = 0; i < n; i++)
            {
                any[r] = m[(r * n) + i] > 0f && labels[(r * n) + i] > 0f ? 1f : any[r];
            }
        }

        var aux = Ops.BinaryCrossEntropyWithLogits(output.ListLogits, Tensor.FromArray(any, new TensorShape(b)));
        return Ops.Add(main, Ops.Affine(aux, _options.Alpha, 0f));
    }

    /// <inheritdoc />
    public Tensor TrainingLoss(EncodedBatch x, float[] labels, Tensor? offsets)
    {
        ArgumentNullException.ThrowIfNull(x);
        var output = Forward(x);
        return Loss(offsets is null ? output : output with { ItemLogits = Ops.Add(output.ItemLogits, offsets) }, labels, x.ListMask);
    }

    /// <summary>Width of the recency columns appended to eq. 1's input (0 unless the embedding enters there).</summary>
    private int RecencyInputWidth =>
        _options.HistoryPositions && _options.HistoryLength > 0 && _options.HistoryPositionSite == HistoryPositionSite.Interaction ? _options.EmbeddingDim : 0;

    /// <summary>
    /// The recency embedding of every history slot, <c>[B, H, width]</c>: the encoder lays out the newest items oldest
    /// first and left-aligned, so slot t of a row with k real items has rank k − 1 − t (0 = newest); padding gets zeros.
    /// </summary>
    private Tensor Recency(Tensor historyMask)
    {
        var b = historyMask.Shape[0];
        var h = historyMask.Shape[1];
        var mask = historyMask.ToArray();
        var ranks = new int[b * h];
        for (var r = 0; r < b; r++)
        {
            var kept = 0;
            for (var t = 0; t < h; t++)
            {
                kept += mask[(r * h) + t] > 0f ? 1 : 0;
            }

            for (var t = 0; t < h; t++)
            {
                ranks[(r * h) + t] = t < kept ? kept - 1 - t : -1;
            }
        }

        return _recency!.Forward(ranks, new TensorShape(b, h));
    }

    private Tensor Interact(Tensor x) =>
        _mlp is not null ? _mlp.Forward(x) : _crossOut!.Forward(_cross!.Forward(x));
}
