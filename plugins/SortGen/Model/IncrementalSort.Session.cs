namespace Rerank.Plugins.SortGen;

internal sealed partial class IncrementalSort
{
    /// <summary>The cached keys and values of one request's selected prefix, and its expected counts so far.</summary>
    internal sealed class Session
    {
        private readonly IncrementalSort m;
        private readonly float[] projected;
        private readonly float[][] keys;
        private readonly float[][] values;
        private float[][] pendingKeys = [];
        private float[][] pendingValues = [];

        public Session(IncrementalSort model, float[] projected)
        {
            m = model;
            this.projected = projected;
            keys = [.. model.layers.Select(_ => new float[model.maxLength * model.d])];
            values = [.. model.layers.Select(_ => new float[model.maxLength * model.d])];
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
            if (t >= m.maxLength)
            {
                throw new Rerank.Abstractions.ComponentException($"SORT: a sub-list of {t + 1} items exceeds max_length {m.maxLength}; train with a larger max_length");
            }

            var d = m.d;
            var r = candidates.Length;
            pendingKeys = [.. m.layers.Select(_ => new float[r * d])];
            pendingValues = [.. m.layers.Select(_ => new float[r * d])];
            Span<float> x = stackalloc float[d];
            Span<float> n = stackalloc float[d];
            Span<float> q = stackalloc float[d];
            Span<float> o = stackalloc float[d];
            Span<float> a = stackalloc float[d];
            Span<float> scores = stackalloc float[t + 1];
            var ff = new float[m.layers.Length == 0 ? 0 : m.layers[0].Ff1B.Length];
            var hidden = new float[m.click.HiddenB.Length];
            var dh = d / m.heads;
            var scale = 1f / MathF.Sqrt(dh);
            for (var row = 0; row < r; row++)
            {
                // eq. 3 projected: candidate block (precomputed) + position block.
                for (var k = 0; k < d; k++)
                {
                    x[k] = projected[(candidates[row] * d) + k] + m.positionProjected[(t * d) + k];
                }

                for (var l = 0; l < m.layers.Length; l++)
                {
                    var layer = m.layers[l];
                    LayerNorm(x, layer.Norm1Gamma, layer.Norm1Beta, n);
                    MatVec(layer.QueryW, layer.QueryB, n, q, d, d);
                    var kNew = pendingKeys[l].AsSpan(row * d, d);
                    var vNew = pendingValues[l].AsSpan(row * d, d);
                    MatVec(layer.KeyW, layer.KeyB, n, kNew, d, d);
                    MatVec(layer.ValueW, layer.ValueB, n, vNew, d, d);
                    for (var h = 0; h < m.heads; h++)
                    {
                        // Causal self-attention of the new position over S and itself.
                        var max = float.NegativeInfinity;
                        for (var s = 0; s <= t; s++)
                        {
                            var key = s < t ? keys[l].AsSpan((s * d) + (h * dh), dh) : kNew.Slice(h * dh, dh);
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
                            var value = s < t ? values[l].AsSpan((s * d) + (h * dh), dh) : vNew.Slice(h * dh, dh);
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

                LayerNorm(x, m.normGamma, m.normBeta, n);
                clickE[row] = Expected(m.click, n, hidden, t, Click);
                payE[row] = Expected(m.pay, n, hidden, t, Pay);
            }
        }

        /// <summary>Appends row <paramref name="row"/> of the last <see cref="Expand"/> to S.</summary>
        public void Commit(int row, float clickE, float payE)
        {
            var d = m.d;
            for (var l = 0; l < m.layers.Length; l++)
            {
                pendingKeys[l].AsSpan(row * d, d).CopyTo(keys[l].AsSpan(Length * d, d));
                pendingValues[l].AsSpan(row * d, d).CopyTo(values[l].AsSpan(Length * d, d));
            }

            Length++;
            Click = clickE;
            Pay = payE;
        }

        /// <summary>E[count] at position t: Σ_{i≤t} σ(x_tᵀθ_i,t) (eq. 5), or the point-wise running sum.</summary>
        private float Expected(Head head, ReadOnlySpan<float> y, float[] hidden, int t, float previous)
        {
            var d = m.d;
            MatVec(head.HiddenW, head.HiddenB, y, hidden, d, hidden.Length);
            for (var k = 0; k < hidden.Length; k++)
            {
                hidden[k] = MathF.Max(0f, hidden[k]);
            }

            var width = hidden.Length;
            if (!m.ordered)
            {
                return previous + Sigmoid(Dot(head.OutW.AsSpan(0, width), hidden) + head.OutB[0]);
            }

            var sum = 0f;
            for (var i = 0; i <= t; i++)
            {
                var o = (t * m.maxLength) + i;
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
