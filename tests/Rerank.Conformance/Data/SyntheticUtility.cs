using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>
/// Ground truth of a synthetic request, a reduced form of SIMULATOR.md's list model: position bias β_t = 1/log2(t + 1),
/// satiation a_t = exp(−η Σ_{s&lt;t} max(0, cos(e_t, e_s))·δ^{t−s−1}) with η = 1.5, δ = 0.8, P(click_t) = β_t·r_t·a_t,
/// P(conv_t) = P(click_t)·g_t, GMV = P(conv_t)·price; the utility is the expected number of clicks.
/// </summary>
internal sealed class SyntheticUtility : IListUtility
{
    private const double Eta = 1.5;
    private const double Decay = 0.8;
    private readonly double[] _attractiveness;
    private readonly double[] _conversion;
    private readonly double[] _prices;
    private readonly double[][] _embeddings;

    public SyntheticUtility(double[] attractiveness, double[] conversion, double[] prices, double[][] embeddings)
    {
        _attractiveness = attractiveness;
        _conversion = conversion;
        _prices = prices;
        _embeddings = embeddings;
    }

    public double Utility(ReadOnlySpan<int> slate)
    {
        var total = 0d;
        for (var t = 0; t < slate.Length; t++)
        {
            total += Click(slate, t);
        }

        return total;
    }

    public ListOutcome Outcome(ReadOnlySpan<int> slate)
    {
        var click = new double[slate.Length];
        var conv = new double[slate.Length];
        var gmv = new double[slate.Length];
        for (var t = 0; t < slate.Length; t++)
        {
            click[t] = Click(slate, t);
            conv[t] = click[t] * _conversion[slate[t]];
            gmv[t] = conv[t] * _prices[slate[t]];
        }

        return new ListOutcome(click, conv, gmv, click.Sum());
    }

    private double Click(ReadOnlySpan<int> slate, int t)
    {
        var j = slate[t];
        if ((uint)j >= (uint)_attractiveness.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(slate), j, $"slate index {j} is not a candidate (N = {_attractiveness.Length})");
        }

        var satiation = 0d;
        for (var s = 0; s < t; s++)
        {
            satiation += Math.Max(0, Cosine(_embeddings[j], _embeddings[slate[s]])) * Math.Pow(Decay, t - s - 1);
        }

        return _attractiveness[j] * Math.Exp(-Eta * satiation) / Math.Log2(t + 2);
    }

    private static double Cosine(double[] a, double[] b)
    {
        var dot = 0d;
        for (var k = 0; k < a.Length; k++)
        {
            dot += a[k] * b[k];
        }

        return dot;
    }
}
