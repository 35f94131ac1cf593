namespace Rerank.Plugins.Baselines;

/// <summary>
/// The state of Chen, Zhang &amp; Zhou's fast greedy MAP inference for DPPs (NeurIPS 2018, Algorithm 1): for every item i of
/// a kernel K, the Cholesky row c_i against the selected set Y and the conditional variance
/// d_i² = K_ii − K_iY K_Y⁻¹ K_Yi. Adding j updates every item in O(|Y|): e_i = (K_ji − ⟨c_j, c_i⟩) / d_j,
/// c_i ← [c_i, e_i], d_i² ← d_i² − e_i², so choosing L of N items costs O(N·L²) overall. log det(K_Y) = Σ_{j∈Y} log d_j².
/// </summary>
internal sealed class IncrementalCholesky
{
    private readonly Func<int, int, double> _kernel;
    private readonly double[][] _c;
    private int _selected;

    /// <summary>Starts with Y = ∅ over <paramref name="count"/> items, ready for up to <paramref name="capacity"/> additions.</summary>
    public IncrementalCholesky(int count, int capacity, Func<int, int, double> kernel)
    {
        _kernel = kernel;
        _c = [.. Enumerable.Range(0, count).Select(_ => new double[capacity])];
        Variance = [.. Enumerable.Range(0, count).Select(i => kernel(i, i))];
    }

    /// <summary>d_i² of every item given the selected set (≈ 0 for selected items).</summary>
    public double[] Variance { get; }

    /// <summary>Adds item <paramref name="j"/> to Y (its variance must be positive).</summary>
    public void Add(int j)
    {
        var dj = Math.Sqrt(Math.Max(Variance[j], double.Epsilon));
        var cj = _c[j];
        for (var i = 0; i < _c.Length; i++)
        {
            var ci = _c[i];
            var dot = 0d;
            for (var k = 0; k < _selected; k++)
            {
                dot += cj[k] * ci[k];
            }

            var e = (_kernel(j, i) - dot) / dj;
            ci[_selected] = e;
            Variance[i] -= e * e;
        }

        _selected++;
    }
}
