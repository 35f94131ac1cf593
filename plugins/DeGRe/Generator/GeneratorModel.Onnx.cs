using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

internal sealed partial class GeneratorModel
{
    /// <summary>
    /// DeGRe-G's greedy pointer decoding (as <see cref="DeGReGenerator"/>'s <c>Generate</c>) in <paramref name="graph"/>,
    /// unrolled over <see cref="MaxLength"/> steps: the candidates are encoded once; at step t the causal decoder reads
    /// e_start and the memories of the items chosen before t (plus position embeddings), the pointer's log-probabilities
    /// over the unchosen real candidates (eq. 12, with the extension fields when configured) pick the argmax (the first on
    /// ties), and the choice feeds step t + 1. Returns the slates <c>[batch, max_length]</c> (int64; −1 from position
    /// min(slate_size, candidates) on) and the log-probabilities of every step <c>[batch, max_length, n]</c>.
    /// </summary>
    public (OnnxValue Slates, OnnxValue LogProbabilities) ToOnnx(OnnxGraph graph, OnnxInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        var (tokens, user) = Features.ToOnnx(inputs, slates: false);
        var mask = inputs.Get("candidate_mask", OnnxType.Float, "batch", "n");
        var memory = Encoder.ToOnnx(graph, Input.ToOnnx(graph, tokens, "input"), mask, "encoder");
        var memoryT = graph.Transpose(memory, 0, 2, 1);
        var start = graph.Unsqueeze(Start.ToOnnx(graph, user, "start"), 1); // eq. 11, [batch, 1, d]
        var slateSize = inputs.Get("slate_size", OnnxType.Int64, "batch");
        var candidates = graph.Range(graph.Scalar(0L), graph.Squeeze(graph.Shape(mask, 1, 2), 0), graph.Scalar(1L));
        var chosen = graph.Mul(mask, graph.Scalar(0f));
        var extra = _extra is null ? null : new PointerFields(this, graph, inputs, mask);

        var sequence = new List<OnnxValue>();
        var choices = new List<OnnxValue>();
        var steps = new List<OnnxValue>();
        OnnxValue? previous = null;
        for (var t = 0; t < MaxLength; t++)
        {
            // Decoder input at t: e_start, then the memory of the item chosen at t − 1; plus the position embedding.
            var input = previous is null ? start : graph.MatMul(graph.Unsqueeze(previous, 1), memory);
            sequence.Add(graph.Add(input, Positions.ToOnnx(graph, graph.Int64s(t), "positions.weight")));
            var x = graph.Concat(1, [.. sequence]);
            for (var i = 0; i < _decoder.Length; i++)
            {
                x = _decoder[i].ToOnnx(graph, x, memory, mask, null, $"decoder.{i}", causal: true);
            }

            var h = Norm.ToOnnx(graph, graph.Slice(x, graph.Int64s(t), graph.Int64s(t + 1), 1), "decoder_norm");
            var logits = graph.Squeeze(graph.Mul(graph.MatMul(h, memoryT), graph.Scalar(_scale)), 1); // eq. 12, [batch, n]
            if (extra is not null)
            {
                logits = graph.Add(logits, extra.Logits(t));
            }

            var available = graph.Mul(mask, graph.Sub(graph.Scalar(1f), chosen));
            var logp = graph.LogSoftmax(graph.Add(logits, graph.Mul(graph.Sub(graph.Scalar(1f), available), graph.Scalar(MaskedLogit))), -1);
            var open = graph.Less(graph.Scalar(0f), available);
            var choice = graph.ArgMax(graph.Where(open, logp, graph.Scalar(float.NegativeInfinity)), 1, keepDims: false);
            previous = graph.Cast(graph.Equal(graph.Unsqueeze(candidates, 0), graph.Unsqueeze(choice, 1)), OnnxType.Float);
            chosen = graph.Add(chosen, previous);
            extra?.Chose(previous);
            choices.Add(graph.Unsqueeze(choice, 1));
            steps.Add(graph.Unsqueeze(logp, 1));
        }

        // Positions at or after min(slate_size, candidates) are −1 (the onnx generator's end of a slate).
        var count = graph.Cast(graph.ReduceSum(mask, true, 1), OnnxType.Int64);
        var length = graph.Min(graph.Unsqueeze(slateSize, 1), count);
        var positions = graph.Unsqueeze(graph.Range(graph.Scalar(0L), graph.Scalar((long)MaxLength), graph.Scalar(1L)), 0);
        var slates = graph.Where(graph.Less(positions, length), graph.Concat(1, [.. choices]), graph.Scalar(-1L));
        return (slates, graph.Concat(1, [.. steps]));
    }

    /// <summary>
    /// The extension fields of the pointer in a graph (<see cref="ListContext.ForCandidates"/>): for every candidate, its
    /// content cosine to the items chosen so far (max, Σ max(0, ·), mean, last; 0 at the first step) and its history
    /// affinity, read by the extra MLP as one more logit.
    /// </summary>
    private sealed class PointerFields
    {
        private readonly GeneratorModel _model;
        private readonly OnnxGraph _graph;
        private readonly OnnxValue? _similarity;
        private readonly OnnxValue? _affinity;
        private readonly OnnxValue _zeros;
        private OnnxValue? _max;
        private OnnxValue? _positive;
        private OnnxValue? _sum;
        private OnnxValue? _last;

        public PointerFields(GeneratorModel model, OnnxGraph graph, OnnxInputs inputs, OnnxValue mask)
        {
            _model = model;
            _graph = graph;
            _zeros = graph.Mul(mask, graph.Scalar(0f));
            var width = model.Schema.EmbeddingWidth;
            var embeddings = inputs.Get("embeddings", OnnxType.Float, "batch", "n", width);

            // Unit-length content embeddings (zero rows stay zero).
            var norm = graph.Sqrt(graph.ReduceSum(graph.Mul(embeddings, embeddings), true, 2));
            var unit = graph.Div(embeddings, graph.Where(graph.Less(graph.Scalar(0f), norm), norm, graph.Scalar(1f)));
            if (model._listContext)
            {
                _similarity = graph.MatMul(unit, graph.Transpose(unit, 0, 2, 1)); // [batch, n, n]
            }

            if (model._affinity)
            {
                // cos(candidate, recent history): the history sum over its norm; 0 without history.
                var (sum, _) = inputs.RecentHistory(width, model._historyWindow);
                var length = graph.Sqrt(graph.ReduceSum(graph.Mul(sum, sum), true, 1));
                var dot = graph.Squeeze(graph.MatMul(unit, graph.Unsqueeze(sum, -1)), -1);
                var safe = graph.Where(graph.Less(graph.Scalar(0f), length), length, graph.Scalar(1f));
                _affinity = graph.Div(dot, safe);
            }
        }

        /// <summary>The extra logit of every candidate at step <paramref name="t"/>, <c>[batch, n]</c>.</summary>
        public OnnxValue Logits(int t)
        {
            var fields = new List<OnnxValue>();
            if (_similarity is not null)
            {
                fields.AddRange(t == 0
                    ? [_zeros, _zeros, _zeros, _zeros]
                    : [_max!, _positive!, _graph.Div(_sum!, _graph.Scalar((float)t)), _last!]);
            }

            if (_affinity is not null)
            {
                fields.Add(_affinity);
            }

            var x = _graph.Concat(2, [.. fields.Select(f => _graph.Unsqueeze(f, -1))]);
            return _graph.Squeeze(_model._extra!.ToOnnx(_graph, x, "extra_fields"), -1);
        }

        /// <summary>Adds the item chosen at this step (one-hot <c>[batch, n]</c>) to the prefix statistics.</summary>
        public void Chose(OnnxValue oneHot)
        {
            if (_similarity is null)
            {
                return;
            }

            var c = _graph.Squeeze(_graph.MatMul(_similarity, _graph.Unsqueeze(oneHot, -1)), -1); // cos(candidate, chosen)
            _max = _max is null ? c : _graph.Max(_max, c);
            _positive = _positive is null ? _graph.Relu(c) : _graph.Add(_positive, _graph.Relu(c));
            _sum = _sum is null ? c : _graph.Add(_sum, c);
            _last = c;
        }
    }
}
