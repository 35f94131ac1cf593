using Rerank.Abstractions;
using Rerank.Engine;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Incremental Seq2Slate decoding for one batch. Candidates are encoded once; the cross-attention keys/values of every decoder
/// layer and the pointer keys are projected once; each step runs the decoder on one new position per row, appending that
/// position's self-attention key/value to the row's cache (copied from the parent row's cache), so step t costs O(t) attention
/// instead of re-running the whole prefix.
/// </summary>
internal sealed class Seq2SlateSession : IStepSession
{
    private readonly Seq2SlateModel _model;
    private readonly RerankBatch _batch;
    private readonly PhaseTimer _timer;
    private readonly int _n;
    private readonly int _d;
    private readonly float[] _memory;
    private readonly float[] _positions;
    private readonly Tensor[] _crossKeys;
    private readonly Tensor[] _crossValues;
    private readonly Tensor _pointerKeys;
    private readonly Tensor _keyMask;
    private float[][] _selfKeys;
    private float[][] _selfValues;

    public Seq2SlateSession(Seq2SlateModel model, RerankBatch batch, PhaseTimer timer)
    {
        _model = model;
        _batch = batch;
        _timer = timer;
        _n = batch.MaxCandidates;
        _d = model.Dimension;
        model.Eval();
        using var noGrad = Autograd.NoGrad();
        using (timer.Measure("encode candidates"))
        {
            _keyMask = Tensor.FromArray(batch.CandidateMask, new TensorShape(batch.Count, _n));
            var memory = model.Encode(batch, _keyMask);
            _memory = memory.ToArray();
            _crossKeys = [.. model.Decoder.Select(l => l.CrossAttention.Key.Forward(memory))];
            _crossValues = [.. model.Decoder.Select(l => l.CrossAttention.Value.Forward(memory))];
            _pointerKeys = model.PointerKey.Forward(memory);
            _positions = model.Positions.Weight.ToArray();
        }

        _selfKeys = [.. model.Decoder.Select(_ => Array.Empty<float>())];
        _selfValues = [.. model.Decoder.Select(_ => Array.Empty<float>())];
    }

    public void Score(StepRows rows, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var measure = _timer.Measure("decode step");
        using var scope = TensorScope.Inference();
        var r = rows.Count;
        var t = rows.Step;
        if (t >= _model.MaxPositions)
        {
            throw new ComponentException($"seq2slate: step {t} is past the model's {_model.MaxPositions} positions");
        }

        var identity = r == _batch.Count && Enumerable.Range(0, r).All(i => rows.Request[i] == i);
        var x = Tensor.FromArray(Inputs(rows), new TensorShape(r, 1, _d));
        for (var l = 0; l < _model.Decoder.Count; l++)
        {
            var layer = _model.Decoder[l];
            var n1 = layer.Norm1.Forward(x);
            var q = layer.SelfAttention.Query.Forward(n1);
            var keys = Append(ref _selfKeys[l], layer.SelfAttention.Key.Forward(n1), rows);
            var values = Append(ref _selfValues[l], layer.SelfAttention.Value.Forward(n1), rows);
            var self = Ops.MultiHeadAttention(q, keys, values, _model.Heads); // the new position attends to itself and the cached past
            var h = Ops.Add(x, layer.SelfAttention.Output.Forward(self));
            var q2 = layer.CrossAttention.Query.Forward(layer.Norm2.Forward(h));
            var cross = Ops.MultiHeadAttention(q2, RowsOf(_crossKeys[l], rows, identity), RowsOf(_crossValues[l], rows, identity), _model.Heads, RowsOf(_keyMask, rows, identity));
            var h2 = Ops.Add(h, layer.CrossAttention.Output.Forward(cross));
            x = Ops.Add(h2, layer.FeedForward.Forward(layer.Norm3.Forward(h2)));
        }

        var query = _model.PointerQuery.Forward(_model.DecoderNorm.Forward(x));
        var logits = Ops.MatMul(query, RowsOf(_pointerKeys, rows, identity), transB: true, alpha: _model.Scale); // [R, 1, N]
        var allowed = new float[r * _n];
        for (var i = 0; i < r; i++)
        {
            allowed.AsSpan(i * _n, _batch.CandidateCounts[rows.Request[i]]).Fill(1f);
            foreach (var used in rows.Prefix(i))
            {
                allowed[(i * _n) + used] = 0f;
            }
        }

        Ops.LogSoftmax(logits, Tensor.FromArray(allowed, new TensorShape(r, 1, _n))).Span.CopyTo(scores);
    }

    public void Dispose()
    {
    }

    /// <summary>Decoder inputs <c>[R, d]</c>: the encoding of the row's last pick (zero at t = 0) plus position t's embedding.</summary>
    private float[] Inputs(StepRows rows)
    {
        var t = rows.Step;
        var x = new float[rows.Count * _d];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = x.AsSpan(i * _d, _d);
            _positions.AsSpan(t * _d, _d).CopyTo(row);
            if (t > 0)
            {
                var last = rows.Prefix(i)[t - 1];
                var item = _memory.AsSpan(((rows.Request[i] * _n) + last) * _d, _d);
                for (var k = 0; k < _d; k++)
                {
                    row[k] += item[k];
                }
            }
        }

        return x;
    }

    /// <summary>Extends each row's cache <c>[R, t, d]</c> (taken from its parent) with the new step's vector; returns <c>[R, t + 1, d]</c>.</summary>
    private Tensor Append(ref float[] cache, Tensor step, StepRows rows)
    {
        var t = rows.Step;
        var r = rows.Count;
        var next = new float[r * (t + 1) * _d];
        var fresh = step.Span;
        for (var i = 0; i < r; i++)
        {
            var target = next.AsSpan(i * (t + 1) * _d, (t + 1) * _d);
            if (t > 0)
            {
                cache.AsSpan(rows.Parent[i] * t * _d, t * _d).CopyTo(target);
            }

            fresh.Slice(i * _d, _d).CopyTo(target[(t * _d)..]);
        }

        cache = next;
        return Tensor.FromArray(next, new TensorShape(r, t + 1, _d));
    }

    /// <summary>The per-request tensor <paramref name="source"/> <c>[B, …]</c> laid out per row (the tensor itself when rows are the requests).</summary>
    private static Tensor RowsOf(Tensor source, StepRows rows, bool identity)
    {
        if (identity)
        {
            return source;
        }

        var per = source.Count / source.Shape[0];
        var data = new float[rows.Count * per];
        var span = source.Span;
        for (var i = 0; i < rows.Count; i++)
        {
            span.Slice(rows.Request[i] * per, per).CopyTo(data.AsSpan(i * per, per));
        }

        var dims = source.Shape.ToArray();
        dims[0] = rows.Count;
        return Tensor.FromArray(data, new TensorShape(dims));
    }
}
