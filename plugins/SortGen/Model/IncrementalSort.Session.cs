namespace Rerank.Plugins.SortGen;

internal sealed partial class IncrementalSort
{
    /// <summary>The cached keys and values of one request's selected prefix, and its expected counts so far.</summary>
    internal sealed class Session
    {
        private readonly IncrementalSort _m;
        private readonly float[] _projected;
        private readonly float[][] _keys;
        private readonly float[][] _values;
        private float[][] _pendingKeys = [];
        private float[][] _pendingValues = [];

        public Session(IncrementalSort model, float[] projected)
        {
            _m = model;
            _projected = projected;
            _keys = [.. model._layers.Select(_ => new float[model._maxLength * model._d])];
            _values = [.. model._layers.Select(_ => new float[model._maxLength * model._d])];
        }

        /// <summary>Length of the selected prefix S.</summary>
        public int Length { get; private set; }

        /// <summary>E[clicks] of S.</summary>
        public float Click { get; private set; }

        /// <summary>E[pays] of S.</summary>
        public float Pay { get; private set; }

        /// <summary>E[clicks] and E[pays] of [S, i] for every candidate i of <paramref name="candidates"/> (rows of this step).</summary>
        public void Expand(ReadOnlySpan<int> candidates, Span<float> clickE, Span<float> payE)
        {
            var t = Length;
            if (t >= _m._maxLength)
            {
                throw new Rerank.Abstractions.ComponentException($"SORT: a sub-list of {t + 1} items exceeds max_length {_m._maxLength}; train with a larger max_length");
            }

            var d = _m._d;
            var r = candidates.Length;
            _pendingKeys = [.. _m._layers.Select(_ => new float[r * d])];
            _pendingValues = [.. _m._layers.Select(_ => new float[r * d])];
            Span<float> x = stackalloc float[d];
            Span<float> n = stackalloc float[d];
            Span<float> q = stackalloc float[d];
            Span<float> o = stackalloc float[d];
            Span<float> a = stackalloc float[d];
            Span<float> scores = stackalloc float[t + 1];
            var ff = new float[_m._layers.Length == 0 ? 0 : _m._layers[0].Ff1B.Length];
            var hidden = new float[_m._click.HiddenB.Length];
            var dh = d / _m._heads;
            var scale = 1f / MathF.Sqrt(dh);
            for (var row = 0; row < r; row++)
            {
                // eq. 3 projected: candidate block (precomputed) + position block.
                for (var k = 0; k < d; k++)
                {
                    x[k] = _projected[(candidates[row] * d) + k] + _m._positionProjected[(t * d) + k];
                }

                for (var l = 0; l < _m._layers.Length; l++)
                {
                    var layer = _m._layers[l];
                    LayerNorm(x, layer.Norm1Gamma, layer.Norm1Beta, n);
                    MatVec(layer.QueryW, layer.QueryB, n, q, d, d);
                    var kNew = _pendingKeys[l].AsSpan(row * d, d);
                    var vNew = _pendingValues[l].AsSpan(row * d, d);
                    MatVec(layer.KeyW, layer.KeyB, n, kNew, d, d);
                    MatVec(layer.ValueW, layer.ValueB, n, vNew, d, d);
                    for (var h = 0; h < _m._heads; h++)
                    {
                        // Causal self-attention of the new position over S and itself.
                        var max = float.NegativeInfinity;
                        for (var s = 0; s <= t; s++)
                        {
                            var key = s < t ? _keys[l].AsSpan((s * d) + (h * dh), dh) : kNew.Slice(h * dh, dh);
                            var dot = 0f;
                            for (var k = 0; k < dh; k++)
                            {
                                dot += q[(h * dh) + k] * key[k];
                            }

                            scores[s] = dot * scale;
                            max = MathF.Max(max, scores[s]);
                        }

                        var total = 0f;
                        for (var s = 0; s <= t; s++)
                        {
                            scores[s] = MathF.Exp(scores[s] - max);
                            total += scores[s];
                        }

                        o.Slice(h * dh, dh).Clear();
                        for (var s = 0; s <= t; s++)
                        {
                            var value = s < t ? _values[l].AsSpan((s * d) + (h * dh), dh) : vNew.Slice(h * dh, dh);
                            var w = scores[s] / total;
                            for (var k = 0; k < dh; k++)
                            {
                                o[(h * dh) + k] += w * value[k];
                            }
                        }
                    }

                    MatVec(layer.OutputW, layer.OutputB, o, a, d, d);
                    for (var k = 0; k < d; k++)
                    {
                        x[k] += a[k];
                    }

                    LayerNorm(x, layer.Norm2Gamma, layer.Norm2Beta, n);
                    MatVec(layer.Ff1W, layer.Ff1B, n, ff, d, ff.Length);
                    for (var k = 0; k < ff.Length; k++)
                    {
                        ff[k] = Gelu(ff[k]);
                    }

                    MatVec(layer.Ff2W, layer.Ff2B, ff, a, ff.Length, d);
                    for (var k = 0; k < d; k++)
                    {
                        x[k] += a[k];
                    }
                }

                LayerNorm(x, _m._normGamma, _m._normBeta, n);
                clickE[row] = Expected(_m._click, n, hidden, t, Click);
                payE[row] = Expected(_m._pay, n, hidden, t, Pay);
            }
        }

        /// <summary>Appends row <paramref name="row"/> of the last <see cref="Expand"/> to S.</summary>
        public void Commit(int row, float clickE, float payE)
        {
            var d = _m._d;
            for (var l = 0; l < _m._layers.Length; l++)
            {
                _pendingKeys[l].AsSpan(row * d, d).CopyTo(_keys[l].AsSpan(Length * d, d));
                _pendingValues[l].AsSpan(row * d, d).CopyTo(_values[l].AsSpan(Length * d, d));
            }

            Length++;
            Click = clickE;
            Pay = payE;
        }

        /// <summary>E[count] at position t: Σ_{i≤t} σ(x_tᵀθ_i,t) (eq. 5), or the point-wise running sum.</summary>
        private float Expected(Head head, ReadOnlySpan<float> y, float[] hidden, int t, float previous)
        {
            var d = _m._d;
            MatVec(head.HiddenW, head.HiddenB, y, hidden, d, hidden.Length);
            for (var k = 0; k < hidden.Length; k++)
            {
                hidden[k] = MathF.Max(0f, hidden[k]);
            }

            var width = hidden.Length;
            if (!_m._ordered)
            {
                return previous + Sigmoid(Dot(head.OutW.AsSpan(0, width), hidden) + head.OutB[0]);
            }

            var sum = 0f;
            for (var i = 0; i <= t; i++)
            {
                var o = (t * _m._maxLength) + i;
                sum += Sigmoid(Dot(head.OutW.AsSpan(o * width, width), hidden) + head.OutB[o]);
            }

            return sum;
        }

        private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            var s = 0f;
            for (var k = 0; k < a.Length; k++)
            {
                s += a[k] * b[k];
            }

            return s;
        }
    }
}
