namespace Rerank.Simulation;

/// <summary>
/// The exact best list of L out of N candidates: depth-first over ordered selections with incremental utility (the
/// decayed satiation sum of every candidate is carried down the tree) and branch-and-bound pruning, seeded by the
/// greedy list. With complementarity on, each candidate's complement click mass (Σ P(click) of the earlier items whose
/// category complements its own) is carried down the tree too.
/// </summary>
/// <remarks>
/// Bound at a node of depth t: a candidate's gain at any later position t' ≥ t is at most
/// β_t'·r_i·exp(−η·δ^(L−1−t)·S_i(t))·(w_click + g_i·b̄_i·v_i), because its satiation sum can only decay by δ per
/// position (S_i(t') ≥ δ^(t'−t)·S_i(t)) and b_t ≤ b̄_i, the anchoring factor against the priciest same-category
/// candidate; with complementarity on (ζ &gt; 0) the value is also multiplied by 1 + cap, the largest factor m_t can
/// reach. Pairing the largest such values with the largest remaining β (rearrangement inequality) bounds the
/// rest of the list. Needs η ≥ 0, δ ∈ [0, 1] and non-negative weights, which the options enforce. The user-specific
/// effects keep this exact: η is the request's user's η_u = η·exp(σ·z_u) ≥ 0 throughout, and β is the user's
/// β_t = 1/log2(t + 1)^γ_u with γ_u &gt; 0, still positive and non-increasing in t, as the rearrangement step needs.
/// </remarks>
internal sealed class ExhaustiveOptimum
{
    private readonly SimulatedListUtility _truth;
    private readonly double[] _cosines;
    private readonly int _n;
    private readonly int _length;
    private readonly double[] _beta;
    private readonly double[] _staticBound;
    private readonly int[] _localCategory;
    private readonly double[][] _satiation;
    private readonly double[][] _categoryMax;
    private readonly double[][] _gains;
    private readonly bool[]? _complements;
    private readonly double[][] _complementary;
    private readonly double[][] _clicks;
    private readonly int[][] _order;
    private readonly double[] _top;
    private readonly bool[] _used;
    private readonly int[] _slate;
    private int[] _best;
    private double _bestValue;

    private ExhaustiveOptimum(SimulatedListUtility truth, int length)
    {
        _truth = truth;
        _cosines = truth.PositiveCosines;
        _n = truth.Count;
        _length = length;
        var p = truth.Parameters;
        _beta = new double[length];
        for (var t = 0; t < length; t++)
        {
            _beta[t] = p.Bias(t);
        }

        var categories = truth.Categories;
        var local = new Dictionary<int, int>();
        _localCategory = new int[_n];
        for (var i = 0; i < _n; i++)
        {
            if (!local.TryGetValue(categories[i], out var c))
            {
                c = local.Count;
                local[categories[i]] = c;
            }

            _localCategory[i] = c;
        }

        _staticBound = new double[_n];
        for (var i = 0; i < _n; i++)
        {
            var pricier = 0.0;
            for (var j = 0; j < _n; j++)
            {
                if (j != i && categories[j] == categories[i])
                {
                    pricier = Math.Max(pricier, truth.Prices[j]);
                }
            }

            var anchorBound = Math.Max(1.0, p.AnchorFactor(pricier, truth.Prices[i]));
            _staticBound[i] = truth.Attractiveness[i] * (p.ClickWeight + (truth.ConversionGivenClick[i] * anchorBound * truth.ConversionValue(i)));
            if (p.Complementarity > 0)
            {
                // m_t ≤ 1 + cap at every position.
                _staticBound[i] *= 1.0 + p.ComplementarityCap;
            }
        }

        _complements = p.Complementarity > 0 ? truth.Complements : null;
        _complementary = Jagged(_complements is null ? 0 : length + 1, _n);
        _clicks = Jagged(_complements is null ? 0 : length, _n);

        _satiation = Jagged(length + 1, _n);
        _categoryMax = Jagged(length + 1, local.Count);
        _gains = Jagged(length, _n);
        _order = new int[length][];
        for (var t = 0; t < length; t++)
        {
            _order[t] = new int[_n];
        }

        _top = new double[length];
        _used = new bool[_n];
        _slate = new int[length];
        _best = [];
    }

    /// <summary>Number of ordered selections N!/(N−L)! (saturating at <see cref="long.MaxValue"/>).</summary>
    public static long PermutationCount(int n, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, n);
        var total = 1L;
        for (var k = 0; k < length; k++)
        {
            var factor = n - k;
            if (total > long.MaxValue / factor)
            {
                return long.MaxValue;
            }

            total *= factor;
        }

        return total;
    }

    /// <summary>The best list of <paramref name="length"/> candidates of <paramref name="truth"/> and its utility.</summary>
    public static (int[] Slate, double Value) Search(SimulatedListUtility truth, int length)
    {
        ArgumentNullException.ThrowIfNull(truth);
        if (length < 1 || length > truth.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The optimum needs 1 ≤ L ≤ N = {truth.Count}.");
        }

        var search = new ExhaustiveOptimum(truth, length);
        (search._best, search._bestValue) = truth.Greedy(length);
        search.Descend(0, 0.0);
        return (search._best, search._bestValue);
    }

    private void Descend(int t, double value)
    {
        if (t == _length)
        {
            if (value > _bestValue)
            {
                _bestValue = value;
                _best = (int[])_slate.Clone();
            }

            return;
        }

        var p = _truth.Parameters;
        var satiation = _satiation[t];
        var categoryMax = _categoryMax[t];
        var gains = _gains[t];
        var order = _order[t];
        var remaining = _length - t;
        var decayToEnd = Math.Pow(p.Decay, remaining - 1);
        Array.Clear(_top, 0, remaining);
        var count = 0;
        for (var i = 0; i < _n; i++)
        {
            if (_used[i])
            {
                continue;
            }

            // Exact gain at position t (SIMULATOR.md list model): β_t·r·a_t·(w_click + g·b_t·v).
            var attention = Math.Exp(-p.Satiation * satiation[i]);
            var anchor = p.AnchorFactor(categoryMax[_localCategory[i]], _truth.Prices[i]);
            var r = _truth.Attractiveness[i];
            var click = _beta[t] * r * attention;
            if (_complements is not null)
            {
                // m_t = 1 + min(cap, ζ·Σ P(click_s) over earlier complements).
                click *= p.ComplementFactor(_complementary[t][i]);
                _clicks[t][i] = click;
            }

            gains[i] = click * (p.ClickWeight + (_truth.ConversionGivenClick[i] * anchor * _truth.ConversionValue(i)));
            InsertTop(_staticBound[i] * Math.Exp(-p.Satiation * decayToEnd * satiation[i]), remaining);

            // Children in descending gain (insertion sort; N is small).
            var k = count++;
            while (k > 0 && gains[order[k - 1]] < gains[i])
            {
                order[k] = order[k - 1];
                k--;
            }

            order[k] = i;
        }

        // Two valid bounds, keep the smaller: every position from the value list (rearrangement), or the exact best
        // gain at position t plus the value list shifted by one for the later positions.
        double bound = 0.0, shifted = count > 0 ? gains[order[0]] : 0.0;
        for (var k = 0; k < remaining; k++)
        {
            bound += _beta[t + k] * _top[k];
            if (k > 0)
            {
                shifted += _beta[t + k] * _top[k - 1];
            }
        }

        bound = Math.Min(bound, shifted);

        if (value + bound <= _bestValue)
        {
            return;
        }

        var next = _satiation[t + 1];
        var nextMax = _categoryMax[t + 1];
        for (var c = 0; c < count; c++)
        {
            var i = order[c];
            _used[i] = true;
            _slate[t] = i;
            for (var j = 0; j < _n; j++)
            {
                // S_j(t+1) = δ·S_j(t) + max(0, cos(e_j, e_i)).
                next[j] = (p.Decay * satiation[j]) + _cosines[(j * _n) + i];
            }

            if (_complements is not null)
            {
                // C_j(t+1) = C_j(t) + P(click_t) when c_i ∈ comp(c_j).
                var complementary = _complementary[t];
                var nextComplementary = _complementary[t + 1];
                var click = _clicks[t][i];
                for (var j = 0; j < _n; j++)
                {
                    nextComplementary[j] = complementary[j] + (_complements[(j * _n) + i] ? click : 0.0);
                }
            }

            categoryMax.CopyTo(nextMax, 0);
            var li = _localCategory[i];
            nextMax[li] = Math.Max(nextMax[li], _truth.Prices[i]);
            Descend(t + 1, value + gains[i]);
            _used[i] = false;
        }
    }

    private void InsertTop(double value, int size)
    {
        if (value <= _top[size - 1])
        {
            return;
        }

        var k = size - 1;
        while (k > 0 && _top[k - 1] < value)
        {
            _top[k] = _top[k - 1];
            k--;
        }

        _top[k] = value;
    }

    private static double[][] Jagged(int rows, int columns)
    {
        var a = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            a[r] = new double[columns];
        }

        return a;
    }
}
