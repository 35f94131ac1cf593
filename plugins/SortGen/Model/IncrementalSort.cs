using Rerank.Abstractions;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// SORT's inference for step-by-step generation with a key/value cache (§3.2.2 "one forward pass"): because the transformer
/// is causal, the states of the selected prefix never change, so each step only computes the new position of every expansion
/// [S, i] — all rows of the step together, layer by layer — against the cached keys and values of S. The candidate part of
/// the input projection (eq. 3 without E_position) is computed once per request. The numbers equal <see cref="SortNetwork"/>'s
/// (same pre-norm layers, tanh-GELU, ReLU heads), checked by a test.
/// </summary>
internal sealed partial class IncrementalSort
{
    private readonly int _d;
    private readonly int _heads;
    private readonly int _maxLength;
    private readonly bool _ordered;
    private readonly int _historyWindow;
    private readonly float[] _inputWeight;
    private readonly float[] _inputBias;
    private readonly int _inputWidth;
    private readonly float[] _positionProjected;
    private readonly Layer[] _layers;
    private readonly float[] _normGamma;
    private readonly float[] _normBeta;
    private readonly Head _click;
    private readonly Head _pay;
    private readonly float[][] _itemTables;
    private readonly float[][] _userTables;
    private readonly int _embeddingDim;

    public IncrementalSort(SortNetwork network, SortModelOptions options)
    {
        var p = network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        _d = options.ModelDim;
        _heads = options.Heads;
        _maxLength = options.MaxLength;
        _ordered = options.Loss == SortLoss.Ordered;
        _historyWindow = options.HistoryWindow;
        _embeddingDim = options.EmbeddingDim;
        _inputWeight = p["input.weight"];
        _inputBias = p["input.bias"];
        _inputWidth = _inputWeight.Length / _d;
        _itemTables = [.. network.ItemFieldNames.Select(n => p[$"item.{n}.weight"])];
        _userTables = [.. network.UserFieldNames.Select(n => p[$"user.{n}.weight"])];

        // W_pos · E_position(t): the position block of the input projection, for every t.
        var positions = p["position.weight"];
        var dp = options.PositionDim;
        var offset = _itemTables.Length * _embeddingDim;
        _positionProjected = new float[_maxLength * _d];
        for (var t = 0; t < _maxLength; t++)
        {
            for (var o = 0; o < _d; o++)
            {
                var sum = 0f;
                for (var k = 0; k < dp; k++)
                {
                    sum += _inputWeight[(o * _inputWidth) + offset + k] * positions[(t * dp) + k];
                }

                _positionProjected[(t * _d) + o] = sum;
            }
        }

        _layers = [.. Enumerable.Range(0, options.Layers).Select(l => new Layer(p, $"layers.{l}."))];
        _normGamma = p["norm.weight"];
        _normBeta = p["norm.bias"];
        _click = new Head(p, "click.");
        _pay = new Head(p, "pay.");
    }

    /// <summary>Starts generation for request <paramref name="b"/>: projects every candidate's non-positional inputs once.</summary>
    public Session Begin(RerankBatch batch, int b, string component)
    {
        var n = batch.CandidateCounts[b];
        var items = new int[n];
        var request = new int[n];
        for (var i = 0; i < n; i++)
        {
            items[i] = i;
            request[i] = b;
        }

        // Each candidate alone as a one-item sequence gives its features; the position block is added per step instead.
        var f = SortFeatures.Encode(batch, new SequenceRows(request, items, 1), _historyWindow, component);
        var projected = new float[n * _d];
        var dense = f.Dense.Length / Math.Max(1, n);
        for (var i = 0; i < n; i++)
        {
            var x = new float[_inputWidth];
            var at = 0;
            for (var k = 0; k < _itemTables.Length; k++, at += _embeddingDim)
            {
                _itemTables[k].AsSpan(f.ItemIds[k][i] * _embeddingDim, _embeddingDim).CopyTo(x.AsSpan(at));
            }

            at += _inputWidth - (_itemTables.Length * _embeddingDim) - (_userTables.Length * _embeddingDim) - dense; // the position block stays 0
            for (var k = 0; k < _userTables.Length; k++, at += _embeddingDim)
            {
                _userTables[k].AsSpan(f.UserIds[k][i] * _embeddingDim, _embeddingDim).CopyTo(x.AsSpan(at));
            }

            f.Dense.AsSpan(i * dense, dense).CopyTo(x.AsSpan(at));
            MatVec(_inputWeight, _inputBias, x, projected.AsSpan(i * _d, _d), _inputWidth, _d);
        }

        return new Session(this, projected);
    }
}
