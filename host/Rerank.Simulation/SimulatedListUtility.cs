using Rerank.Abstractions;

namespace Rerank.Simulation;

/// <summary>
/// The hidden truth of one simulated request: the exact expected outcome of any list of its candidates under the
/// list model of SIMULATOR.md (satiation, position bias, price anchoring, conversion, GMV). O(L²) per list.
/// </summary>
internal sealed partial class SimulatedListUtility : IGroundTruth
{
    private readonly IReadOnlyList<double[]> _embeddings;
    private double[]? _positiveCosine;
    private readonly double[] _attractiveness;
    private readonly double[] _conversion;
    private readonly double[] _prices;
    private readonly int[] _categories;
    private readonly int[][]? _complementGraph;
    private bool[]? _complements;

    /// <summary>Creates the truth of a request from its candidates' hidden values.</summary>
    /// <param name="parameters">List model parameters.</param>
    /// <param name="embeddings">True item embeddings e_j (the satiation cosine uses these, not the noisy observable ones).</param>
    /// <param name="categories">Category of each candidate.</param>
    /// <param name="prices">Price p_j of each candidate.</param>
    /// <param name="attractiveness">True attractiveness r_j.</param>
    /// <param name="conversion">True conversion-given-click g_j.</param>
    /// <param name="complementGraph">The complement categories of each category (by category id); null: none.</param>
    public SimulatedListUtility(
        ListModelParameters parameters,
        IReadOnlyList<double[]> embeddings,
        int[] categories,
        double[] prices,
        double[] attractiveness,
        double[] conversion,
        int[][]? complementGraph = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(embeddings);
        var n = embeddings.Count;
        if (categories.Length != n || prices.Length != n || attractiveness.Length != n || conversion.Length != n)
        {
            throw new ArgumentException($"Ground truth needs one category, price, r and g per candidate ({n}); got {categories.Length}, {prices.Length}, {attractiveness.Length}, {conversion.Length}.");
        }

        Parameters = parameters;
        _categories = categories;
        _prices = prices;
        _attractiveness = attractiveness;
        _conversion = conversion;
        _embeddings = embeddings;
        _complementGraph = complementGraph;
    }

    /// <summary>The same truth without its cached cosine matrix.</summary>
    internal SimulatedListUtility Copy() => new(Parameters, _embeddings, _categories, _prices, _attractiveness, _conversion, _complementGraph);

    /// <summary>The same candidates under other list model <paramref name="parameters"/>.</summary>
    internal SimulatedListUtility With(ListModelParameters parameters) =>
        new(parameters, _embeddings, _categories, _prices, _attractiveness, _conversion, _complementGraph);

    /// <summary>Number of candidates N.</summary>
    public int Count => _attractiveness.Length;

    /// <summary>The list model's parameters.</summary>
    public ListModelParameters Parameters { get; }

    /// <summary>True attractiveness r_j per candidate.</summary>
    public ReadOnlySpan<double> Attractiveness => _attractiveness;

    /// <summary>True conversion-given-click g_j per candidate.</summary>
    public ReadOnlySpan<double> ConversionGivenClick => _conversion;

    /// <summary>Price per candidate.</summary>
    public ReadOnlySpan<double> Prices => _prices;

    /// <summary>Category per candidate.</summary>
    public ReadOnlySpan<int> Categories => _categories;

    /// <summary>max(0, cos(e_i, e_j)) for all pairs, row-major N×N; built on first use (logs that are never scored cost no memory).</summary>
    internal double[] PositiveCosines => LazyInitializer.EnsureInitialized(ref _positiveCosine, BuildCosines);

    /// <summary>
    /// Whether candidate j's category complements candidate i's (row-major N×N at [i·N + j]: j boosts i when j comes
    /// earlier); built on first use.
    /// </summary>
    internal bool[] Complements => LazyInitializer.EnsureInitialized(ref _complements, BuildComplements);

    /// <summary>The value of a conversion of candidate <paramref name="i"/>: w_conv + w_gmv·p_i / mean price.</summary>
    internal double ConversionValue(int i) =>
        Parameters.ConversionWeight + (Parameters.GmvWeight * _prices[i] / Parameters.MeanPrice);

    /// <inheritdoc />
    public double Utility(ReadOnlySpan<int> slate)
    {
        Check(slate);
        var cosines = PositiveCosines;
        Span<double> clicks = slate.Length <= 64 ? stackalloc double[slate.Length] : new double[slate.Length];
        var total = 0.0;
        for (var t = 0; t < slate.Length; t++)
        {
            var (click, conversionGivenClick) = Position(cosines, slate, clicks, t);
            clicks[t] = click;
            var i = slate[t];

            // U(l) = Σ_t w_click·P(click_t) + (w_conv + w_gmv·p/mean p)·P(conv_t).
            total += click * (Parameters.ClickWeight + (conversionGivenClick * ConversionValue(i)));
        }

        return total;
    }

    /// <inheritdoc />
    public ListOutcome Outcome(ReadOnlySpan<int> slate)
    {
        Check(slate);
        var cosines = PositiveCosines;
        var clicks = new double[slate.Length];
        var conversions = new double[slate.Length];
        var gmv = new double[slate.Length];
        var total = 0.0;
        for (var t = 0; t < slate.Length; t++)
        {
            var (click, conversionGivenClick) = Position(cosines, slate, clicks, t);
            var i = slate[t];
            clicks[t] = click;
            conversions[t] = click * conversionGivenClick;
            gmv[t] = conversions[t] * _prices[i];
            total += click * (Parameters.ClickWeight + (conversionGivenClick * ConversionValue(i)));
        }

        return new ListOutcome(clicks, conversions, gmv, total);
    }

    /// <summary>
    /// P(click_t) and P(conv_t | click_t) = g·b_t at position <paramref name="t"/> of <paramref name="slate"/>, given
    /// P(click_s) of the earlier positions in <paramref name="clicks"/> (read for s &lt; t only).
    /// </summary>
    private (double Click, double ConversionGivenClick) Position(double[] cosines, ReadOnlySpan<int> slate, ReadOnlySpan<double> clicks, int t)
    {
        var i = slate[t];
        var n = Count;
        var satiation = 0.0;
        var decay = 1.0;
        var anchor = 0.0;
        var complementary = 0.0;
        var complements = Parameters.Complementarity > 0 ? Complements : null;
        for (var s = t - 1; s >= 0; s--)
        {
            var j = slate[s];
            if (complements is not null && complements[(i * n) + j])
            {
                // Σ_{s<t, c_s ∈ complements(c_t)} P(click_s).
                complementary += clicks[s];
            }

            // Σ_{s<t} max(0, cos(e_t, e_s))·δ^{t−s−1}.
            satiation += cosines[(i * n) + j] * decay;
            decay *= Parameters.Decay;
            if (_categories[j] == _categories[i] && _prices[j] > anchor)
            {
                anchor = _prices[j];
            }
        }

        // β_t = 1/log2(t+1)^γ_u; a_t = exp(−η_u·satiation); m_t = 1 + min(cap, ζ·complementary); P(click_t) = β_t·r·a_t·m_t; P(conv_t) = P(click_t)·g·b_t.
        var click = Parameters.Bias(t) * _attractiveness[i] * Math.Exp(-Parameters.Satiation * satiation);
        if (complements is not null)
        {
            click *= Parameters.ComplementFactor(complementary);
        }

        return (click, _conversion[i] * Parameters.AnchorFactor(anchor, _prices[i]));
    }

    private void Check(ReadOnlySpan<int> slate)
    {
        for (var t = 0; t < slate.Length; t++)
        {
            if ((uint)slate[t] >= (uint)Count)
            {
                throw new ArgumentException($"Slate position {t} holds candidate {slate[t]}; the request has {Count} candidates.", nameof(slate));
            }

            for (var s = 0; s < t; s++)
            {
                if (slate[s] == slate[t])
                {
                    throw new ArgumentException($"Slate repeats candidate {slate[t]} (positions {s} and {t}).", nameof(slate));
                }
            }
        }
    }

    private double[] BuildCosines()
    {
        var n = Count;
        var cosines = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                // max(0, cos(e_i, e_j)) of the satiation term.
                cosines[(i * n) + j] = i == j ? 1.0 : Math.Max(0.0, Cosine(_embeddings[i], _embeddings[j]));
            }
        }

        return cosines;
    }

    private bool[] BuildComplements()
    {
        var n = Count;
        var complements = new bool[n * n];
        if (_complementGraph is null)
        {
            return complements;
        }

        for (var i = 0; i < n; i++)
        {
            var graph = (uint)_categories[i] < (uint)_complementGraph.Length ? _complementGraph[_categories[i]] : [];
            for (var j = 0; j < n; j++)
            {
                complements[(i * n) + j] = i != j && Array.IndexOf(graph, _categories[j]) >= 0;
            }
        }

        return complements;
    }

    private static double Cosine(double[] a, double[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var k = 0; k < a.Length; k++)
        {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
        }

        return na > 0 && nb > 0 ? dot / Math.Sqrt(na * nb) : 0.0;
    }
}
