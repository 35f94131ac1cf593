using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// DPP diversification by fast greedy MAP inference (Chen, Zhang &amp; Zhou, NeurIPS 2018, Algorithm 1; see
/// <see cref="IncrementalCholesky"/>). Similarity S_ij = cos(e_i, e_j) + ε·δ_ij (a Gram matrix, so positive definite).
/// Post-pass: relevance r is min–max normalised to [0, 1] over the ranked slate, q_i = exp(α r_i) with
/// α = θ / (2(1 − θ)), and the kernel is L = Diag(q)·S·Diag(q), so log det L_Y = 2α Σ_{i∈Y} r_i + log det S_Y ∝
/// θ Σ r_i + (1 − θ) log det S_Y — the paper's relevance–diversity trade-off. Each step adds argmax_i log d_i² (ties: the
/// item ranked earlier); the slate score is log det L_Y. With a window w the variances are conditioned on the last w
/// selected items only (the paper's sliding-window variant, recomputed per step in O(N·w²)).
/// In decoding, each free candidate's gain g becomes θ·g + (1 − θ)·log d²(S | prefix window), the marginal gain of the same
/// objective with the scorer's gains as relevance.
/// </summary>
internal sealed class DppDiversifier : IDiversifier
{
    private readonly DppOptions _options;

    public DppDiversifier(DppOptions options, string name)
    {
        _options = options;
        Name = name;
    }

    public string Name { get; }

    public Slate Diversify(RerankBatch batch, int request, Slate ranked, int size)
    {
        Relevance.Check(batch, request, ranked, size, Name);
        var raw = Relevance.Raw(batch, request, ranked, _options.Prior, Name);
        var relevance = Relevance.Normalized(raw);
        var sim = Similarity.Of(batch, request, Name);
        var n = batch.CandidateCounts[request];
        var items = ranked.Indices;
        var alpha = _options.Theta / (2 * (1 - _options.Theta));
        var q = relevance.Select(r => Math.Exp(alpha * r)).ToArray();
        double Kernel(int a, int b) => q[a] * SimilarityOf(sim, n, items[a], items[b]) * q[b];

        var taken = new bool[items.Length];
        var order = new List<int>(size);
        var state = new IncrementalCholesky(items.Length, Math.Max(size, 1), Kernel);
        var objective = 0d;
        for (var t = 0; t < size; t++)
        {
            if (_options.Window > 0)
            {
                state = Condition(items.Length, Kernel, order.Skip(Math.Max(0, order.Count - _options.Window)));
            }

            var best = -1;
            for (var k = 0; k < items.Length; k++)
            {
                if (!taken[k] && (best < 0 || state.Variance[k] > state.Variance[best]))
                {
                    best = k;
                }
            }

            objective += Math.Log(Math.Max(state.Variance[best], double.Epsilon));
            taken[best] = true;
            order.Add(best);
            if (_options.Window == 0 && t + 1 < size)
            {
                state.Add(best);
            }
        }

        return new Slate([.. order.Select(k => items[k])], objective, [.. order.Select(k => (float)raw[k])]);
    }

    public void Adjust(RerankBatch batch, StepRows rows, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rows);
        var width = batch.MaxCandidates;
        for (var r = 0; r < rows.Count; r++)
        {
            var b = rows.Request[r];
            var n = batch.CandidateCounts[b];
            var sim = Similarity.Of(batch, b, Name);
            var prefix = rows.Prefix(r).ToArray();
            var window = _options.Window > 0 ? prefix.Skip(Math.Max(0, prefix.Length - _options.Window)) : prefix;
            var state = Condition(n, (i, j) => SimilarityOf(sim, n, i, j), window);
            var row = scores.Slice(r * width, width);
            for (var c = 0; c < n; c++)
            {
                var diversity = Math.Log(Math.Max(state.Variance[c], double.Epsilon));
                row[c] = (float)((_options.Theta * row[c]) + ((1 - _options.Theta) * diversity));
            }
        }
    }

    private static IncrementalCholesky Condition(int count, Func<int, int, double> kernel, IEnumerable<int> on)
    {
        var given = on.ToList();
        var state = new IncrementalCholesky(count, Math.Max(given.Count, 1), kernel);
        foreach (var j in given)
        {
            state.Add(j);
        }

        return state;
    }

    private double SimilarityOf(double[] sim, int n, int i, int j) => sim[(i * n) + j] + (i == j ? _options.Epsilon : 0);
}
