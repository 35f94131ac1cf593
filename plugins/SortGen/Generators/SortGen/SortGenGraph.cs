using Rerank.Abstractions;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// SORT-Gen's mask-driven generation (<see cref="SortGenGenerator"/>) as an ONNX graph, unrolled over max_length steps:
/// the objective queues are built from the priors and prices (DFS by rank within each queue, BFS by turns over
/// max_length + heads_per_queue − 1 rounds, which hold every item a head can reach), then every step scores [S, i] for
/// each candidate i with the causal SORT network, takes V([S, i]) = V(S) + the increment of i (eq. 1–2), subtracts the
/// MMR term (eq. 6) and picks the best queue head (all unselected candidates once every queue is spent). Padded
/// candidates are never picked; a request stops at min(slate_size, candidates).
/// </summary>
internal sealed class SortGenGraph
{
    private readonly OnnxGraph _graph;
    private readonly SortGenOptions _options;
    private readonly ObjectiveWeights _weights;
    private readonly FeatureSchema _schema;
    private readonly SortNetwork _network;
    private readonly float _meanPrice;

    public SortGenGraph(OnnxGraph graph, SortGenOptions options, FeatureSchema schema, SortNetwork network, float meanPrice)
    {
        _graph = graph;
        _options = options;
        _weights = options.Weights;
        _schema = schema;
        _network = network;
        _meanPrice = meanPrice;
    }

    /// <summary>
    /// Builds the graph over <paramref name="inputs"/>; returns the slates <c>[batch, max_length]</c> (int64, −1 after each
    /// slate's end) and V([S, i]) of every candidate at every step <c>[batch, max_length, n]</c> (before MMR).
    /// </summary>
    public (OnnxValue Slates, OnnxValue Values) Build(OnnxInputs inputs, QueueExpression[] queues)
    {
        var g = _graph;
        var rows = _network.Embed(g, SortFeatures.ToOnnx(g, inputs, _schema, _options.HistoryWindow, slates: false));
        var mask = rows.Mask;
        var zeros = g.Mul(mask, g.Scalar(0f));
        var ids = g.Range(g.Scalar(0L), g.Squeeze(g.Shape(mask, 1, 2), 0), g.Scalar(1L));
        var slateSize = g.Cast(g.Unsqueeze(inputs.Get("slate_size", OnnxType.Int64, "batch"), 1), OnnxType.Float);
        var length = g.Min(slateSize, g.ReduceSum(mask, true, 1)); // [batch, 1]
        var prices = inputs.Get("prices", OnnxType.Float, "batch", "n");
        var priors = _schema.PriorNames.Length > 0 ? inputs.Get("priors", OnnxType.Float, "batch", "n", _schema.PriorNames.Length) : null;

        // Queues: each candidate's score per queue and "j ranks before i" ([batch, j, i]: higher score, then lower index).
        var before = g.Cast(g.Less(g.Unsqueeze(ids, 1), g.Unsqueeze(ids, 0)), OnnxType.Float);
        var scores = queues.Select(q => q.ToOnnx(g, _schema, priors, prices, zeros)).ToArray();
        var ahead = scores.Select(s =>
        {
            var (si, sj) = (g.Unsqueeze(s, 1), g.Unsqueeze(s, 2));
            return g.Add(g.Cast(g.Less(si, sj), OnnxType.Float), g.Mul(g.Cast(g.Equal(si, sj), OnnxType.Float), before));
        }).ToArray();
        var cap = _options.QueueLength > 0 ? g.Scalar((float)_options.QueueLength) : slateSize;
        var members = _options.Fill == QueueFill.Dfs ? Depth(mask, ahead, cap) : Breadth(mask, ids, scores, cap);

        // MMR similarity: cosines of the unit content embeddings.
        OnnxValue? similarity = null;
        if (_options.Lambda < 1)
        {
            var embeddings = inputs.Get("embeddings", OnnxType.Float, "batch", "n", _schema.EmbeddingWidth);
            var norm = g.Sqrt(g.ReduceSum(g.Mul(embeddings, embeddings), true, 2));
            var unit = g.Div(embeddings, g.Where(g.Less(g.Scalar(0f), norm), norm, g.Scalar(1f)));
            similarity = g.MatMul(unit, g.Transpose(unit, 0, 2, 1));
        }

        var price = _weights.NormalizeGmv ? g.Div(prices, g.Scalar(_meanPrice)) : prices;
        var selected = zeros;
        var value = g.ReduceSum(zeros, true, 1); // V(S), [batch, 1]
        var click = value;
        var pay = value;
        var chosen = new List<OnnxValue>();
        var cosines = new List<OnnxValue>();
        var slates = new List<OnnxValue>();
        var values = new List<OnnxValue>();
        for (var t = 0; t < _options.MaxLength; t++)
        {
            var active = g.Less(g.Scalar((float)t), length); // [batch, 1]
            var (clickE, payE) = Expand(rows, chosen, t);

            // V([S, i]) = V(S) + α·Δclick + β·Δpay + γ·price·Δpay (eq. 1–2).
            var payDelta = g.Sub(payE, pay);
            var increment = g.Add(
                g.Add(g.Mul(g.Sub(clickE, click), g.Scalar((float)_weights.Alpha)), g.Mul(payDelta, g.Scalar((float)_weights.Beta))),
                g.Mul(g.Mul(price, payDelta), g.Scalar((float)_weights.Gamma)));
            var expanded = g.Add(value, increment);
            values.Add(g.Unsqueeze(expanded, 1));
            var score = expanded;
            if (similarity is not null && t > 0)
            {
                // eq. 6: λ·V − (1 − λ)·max cosine to the last `window` items of S.
                var from = _options.Window > 0 ? Math.Max(0, t - _options.Window) : 0;
                var max = cosines.Skip(from).Aggregate(g.Max);
                score = g.Sub(g.Mul(expanded, g.Scalar((float)_options.Lambda)), g.Mul(max, g.Scalar((float)(1 - _options.Lambda))));
            }
            else if (similarity is not null)
            {
                score = g.Mul(expanded, g.Scalar((float)_options.Lambda));
            }

            var open = Heads(mask, members, ahead, selected);
            var choice = g.ArgMax(g.Where(g.Less(g.Scalar(0f), open), score, g.Scalar(float.NegativeInfinity)), 1, keepDims: false);
            var pick = g.Mul(g.Cast(g.Equal(g.Unsqueeze(ids, 0), g.Unsqueeze(choice, 1)), OnnxType.Float), g.Cast(active, OnnxType.Float));
            selected = g.Add(selected, pick);
            value = g.Where(active, g.ReduceSum(g.Mul(pick, expanded), true, 1), value);
            click = g.Where(active, g.ReduceSum(g.Mul(pick, clickE), true, 1), click);
            pay = g.Where(active, g.ReduceSum(g.Mul(pick, payE), true, 1), pay);
            chosen.Add(pick);
            if (similarity is not null)
            {
                cosines.Add(g.Squeeze(g.MatMul(similarity, g.Unsqueeze(pick, -1)), -1));
            }

            slates.Add(g.Where(active, g.Unsqueeze(choice, 1), g.Scalar(-1L)));
        }

        return (g.Concat(1, [.. slates]), g.Concat(1, [.. values]));
    }

    /// <summary>
    /// E[clicks] and E[pays] <c>[batch, n]</c> of every sequence [S, i] at its last position t, S the items picked before
    /// (one-hot rows <paramref name="chosen"/>), by one pass of the network over batch·n sequences of length t + 1.
    /// </summary>
    private (OnnxValue Click, OnnxValue Pay) Expand(SortOnnxRows rows, List<OnnxValue> chosen, int t)
    {
        var g = _graph;
        var zeros = g.Unsqueeze(g.Mul(rows.Mask, g.Scalar(0f)), -1); // [batch, n, 1]
        var candidate = g.Unsqueeze(rows.Items, 2); // [batch, n, 1, W]
        var sequences = candidate;
        if (t > 0)
        {
            var prefix = g.MatMul(g.Concat(1, [.. chosen.Select(c => g.Unsqueeze(c, 1))]), rows.Items); // [batch, t, W]
            sequences = g.Concat(2, g.Add(g.Unsqueeze(prefix, 1), g.Unsqueeze(zeros, -1)), candidate);
        }

        var flat = g.Reshape(sequences, g.Concat(0, g.Int64s(-1, t + 1), g.Shape(rows.Items, 2, 3)));
        var user = rows.User is null ? null : g.Reshape(g.Add(g.Unsqueeze(rows.User, 1), zeros), g.Concat(0, g.Int64s(-1), g.Shape(rows.User, 1, 2)));
        var ones = g.Initializer($"expand_{t}.ones", OnnxTensor.Floats([.. Enumerable.Repeat(1f, t + 1)], t + 1));
        var real = g.Add(g.Reshape(g.Mul(rows.Mask, g.Scalar(0f)), -1, 1), ones); // every position of every sequence is real
        var (click, pay) = _network.ToOnnx(g, new SortOnnxRows(flat, user, real));
        OnnxValue Last(OnnxValue x) => g.Reshape(g.Slice(x, g.Int64s(t), g.Int64s(t + 1), 1), g.Shape(rows.Mask, 0, 2));
        return (Last(click), Last(pay));
    }

    /// <summary>DFS: queue q holds the first cap candidates, in its order, that no earlier queue holds.</summary>
    private OnnxValue[] Depth(OnnxValue mask, OnnxValue[] ahead, OnnxValue cap)
    {
        var g = _graph;
        var taken = g.Mul(mask, g.Scalar(0f));
        var members = new OnnxValue[ahead.Length];
        for (var q = 0; q < ahead.Length; q++)
        {
            var free = g.Mul(mask, g.Sub(g.Scalar(1f), taken));
            members[q] = g.Mul(free, g.Cast(g.Less(Rank(free, ahead[q]), cap), OnnxType.Float));
            taken = g.Add(taken, members[q]);
        }

        return members;
    }

    /// <summary>BFS: the queues take turns, each its best free candidate while it holds fewer than cap.</summary>
    private OnnxValue[] Breadth(OnnxValue mask, OnnxValue ids, OnnxValue[] scores, OnnxValue cap)
    {
        var g = _graph;
        var taken = g.Mul(mask, g.Scalar(0f));
        var members = scores.Select(_ => taken).ToArray();
        var held = scores.Select(_ => g.ReduceSum(taken, true, 1)).ToArray();
        for (var round = 0; round < _options.MaxLength + _options.HeadsPerQueue - 1; round++)
        {
            for (var q = 0; q < scores.Length; q++)
            {
                var open = g.Mul(g.Mul(mask, g.Sub(g.Scalar(1f), taken)), g.Cast(g.Less(held[q], cap), OnnxType.Float));
                var best = g.ArgMax(g.Where(g.Less(g.Scalar(0f), open), scores[q], g.Scalar(float.NegativeInfinity)), 1, keepDims: false);
                var any = g.ReduceMax(open, true, 1);
                var pick = g.Mul(g.Cast(g.Equal(g.Unsqueeze(ids, 0), g.Unsqueeze(best, 1)), OnnxType.Float), any);
                members[q] = g.Add(members[q], pick);
                held[q] = g.Add(held[q], any);
                taken = g.Add(taken, pick);
            }
        }

        return members;
    }

    /// <summary>The heads: the first heads_per_queue unselected members of each queue; every unselected candidate once all queues are spent.</summary>
    private OnnxValue Heads(OnnxValue mask, OnnxValue[] members, OnnxValue[] ahead, OnnxValue selected)
    {
        var g = _graph;
        var free = g.Sub(g.Scalar(1f), selected);
        var heads = g.Mul(selected, g.Scalar(0f));
        for (var q = 0; q < members.Length; q++)
        {
            var waiting = g.Mul(members[q], free);
            heads = g.Add(heads, g.Mul(waiting, g.Cast(g.Less(Rank(waiting, ahead[q]), g.Scalar((float)_options.HeadsPerQueue)), OnnxType.Float)));
        }

        var spent = g.Sub(g.Scalar(1f), g.ReduceMax(heads, true, 1));
        return g.Add(heads, g.Mul(spent, g.Mul(mask, free)));
    }

    /// <summary>How many members of <paramref name="set"/> <c>[batch, n]</c> rank before each candidate in a queue's order.</summary>
    private OnnxValue Rank(OnnxValue set, OnnxValue ahead) => _graph.Squeeze(_graph.MatMul(_graph.Unsqueeze(set, 1), ahead), 1);
}
