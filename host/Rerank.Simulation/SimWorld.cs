using Rerank.Abstractions;

namespace Rerank.Simulation;

/// <summary>
/// The simulated world (SIMULATOR.md "World"): categories, items with true and observable embeddings, prices and
/// qualities, users with taste and price sensitivity. Everything but the observable catalogue is hidden truth.
/// </summary>
internal sealed partial class SimWorld
{
    public SimWorld(
        int categories,
        int[] itemCategory,
        double[] price,
        double[] quality,
        double[][] embedding,
        float[][] observedEmbedding,
        double[][] taste,
        double[] priceSensitivity,
        int[] segment,
        int[][]? complements = null,
        UserEffects? userEffects = null)
    {
        var effects = userEffects ?? UserEffects.None(taste.Length);
        SatiationScale = effects.SatiationScale;
        Patience = effects.Patience;
        PatienceFeature = effects.PatienceFeature;
        Categories = categories;
        Complements = complements ?? [.. Enumerable.Range(0, categories).Select(_ => Array.Empty<int>())];
        ItemCategory = itemCategory;
        Price = price;
        Quality = quality;
        Embedding = embedding;
        ObservedEmbedding = observedEmbedding;
        Taste = taste;
        PriceSensitivity = priceSensitivity;
        Segment = segment;
        var sum = 0.0;
        foreach (var p in price)
        {
            sum += p;
        }

        MeanPrice = sum / price.Length;
        Catalogue = new Item[price.Length];
        for (var j = 0; j < price.Length; j++)
        {
            Catalogue[j] = new Item
            {
                Id = ItemId(j),
                Categorical = [j, itemCategory[j]],
                Dense = [(float)Math.Log(price[j])],
                Embedding = observedEmbedding[j],
                Price = (float)price[j],
            };
        }
    }

    public int Categories { get; }

    public int Items => Price.Length;

    /// <summary>The hidden category graph: the complement categories of each category (ascending; hidden).</summary>
    public int[][] Complements { get; }

    public int Users => Taste.Length;

    /// <summary>c_j.</summary>
    public int[] ItemCategory { get; }

    /// <summary>p_j.</summary>
    public double[] Price { get; }

    /// <summary>q_j (hidden).</summary>
    public double[] Quality { get; }

    /// <summary>e_j, unit (hidden).</summary>
    public double[][] Embedding { get; }

    /// <summary>The observable content embedding: e_j plus noise, renormalised.</summary>
    public float[][] ObservedEmbedding { get; }

    /// <summary>w_u (hidden).</summary>
    public double[][] Taste { get; }

    /// <summary>s_u (hidden).</summary>
    public double[] PriceSensitivity { get; }

    /// <summary>The quantile bucket of s_u (observable).</summary>
    public int[] Segment { get; }

    /// <summary>exp(σ·z_u): the user's satiation multiplier, η_u = η·exp(σ·z_u) (1 for everyone when σ = 0; hidden).</summary>
    public double[] SatiationScale { get; }

    /// <summary>γ_u: the user's patience in β_t = 1/log2(t + 1)^γ_u (1 for everyone when ρ = 0; hidden).</summary>
    public double[] Patience { get; }

    /// <summary>The observable user_patience feature y_u + ν·ε_u (null when ρ = 0, so the schema is unchanged).</summary>
    public float[]? PatienceFeature { get; }

    /// <summary>Mean catalogue price: the GMV scale of the utility.</summary>
    public double MeanPrice { get; }

    /// <summary>Observable items (history entries share these instances; treat as read-only).</summary>
    public Item[] Catalogue { get; }

    public static string ItemId(int item) => $"item-{item}";

    public static string UserId(int user) => $"user-{user}";

    /// <summary>
    /// True attractiveness r_j and conversion-given-click g_j of <paramref name="candidates"/> for <paramref name="user"/>
    /// whose history (item indices, oldest first) is <paramref name="history"/>.
    /// </summary>
    public (double[] R, double[] G) Hidden(SimulatorOptions options, int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates)
    {
        var intent = Intent(options, user, history);
        var r = new double[candidates.Length];
        var g = new double[candidates.Length];
        var s = PriceSensitivity[user];
        for (var i = 0; i < candidates.Length; i++)
        {
            var j = candidates[i];

            // r_j = σ(2.5·⟨v, e_j⟩ + 0.5·q_j − 2.0); g_j = σ(−1.0 + 0.5·q_j − s_u·(log p_j − 2.5)).
            r[i] = Sigmoid((options.AttractivenessScale * Dot(intent, Embedding[j])) + (options.AttractivenessQuality * Quality[j]) + options.AttractivenessBias);
            g[i] = Sigmoid(options.ConversionBias + (options.ConversionQuality * Quality[j]) - (s * (Math.Log(Price[j]) - options.PricePivot)));
        }

        return (r, g);
    }

    /// <summary>The ground truth of a request of <paramref name="user"/> over <paramref name="candidates"/>.</summary>
    public SimulatedListUtility Truth(SimulatorOptions options, int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates)
    {
        var (r, g) = Hidden(options, user, history, candidates);
        return Truth(options, user, candidates, r, g);
    }

    /// <summary>The ground truth of a request of <paramref name="user"/> over <paramref name="candidates"/> given their r and g.</summary>
    public SimulatedListUtility Truth(SimulatorOptions options, int user, ReadOnlySpan<int> candidates, double[] r, double[] g)
    {
        var embeddings = new double[candidates.Length][];
        var categories = new int[candidates.Length];
        var prices = new double[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            embeddings[i] = Embedding[candidates[i]];
            categories[i] = ItemCategory[candidates[i]];
            prices[i] = Price[candidates[i]];
        }

        var parameters = ListModelParameters.For(options, MeanPrice, SatiationScale[user], Patience[user]);
        return new SimulatedListUtility(parameters, embeddings, categories, prices, r, g, Complements);
    }

    /// <summary>v = normalize(a·normalize(w_u) + (1 − a)·normalize(mean of the last W history embeddings)).</summary>
    private double[] Intent(SimulatorOptions options, int user, ReadOnlySpan<int> history)
    {
        var k = Taste[user].Length;
        var recent = new double[k];
        var window = Math.Min(options.IntentWindow, history.Length);
        for (var h = history.Length - window; h < history.Length; h++)
        {
            var e = Embedding[history[h]];
            for (var d = 0; d < k; d++)
            {
                recent[d] += e[d];
            }
        }

        Normalize(recent);
        var taste = (double[])Taste[user].Clone();
        Normalize(taste);
        var a = options.IntentTasteWeight;
        var v = new double[k];
        for (var d = 0; d < k; d++)
        {
            v[d] = (a * taste[d]) + ((1 - a) * recent[d]);
        }

        Normalize(v);
        return v;
    }

    internal static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    internal static double Logit(double p) => Math.Log(p / (1.0 - p));

    internal static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var d = 0; d < a.Length; d++)
        {
            s += a[d] * b[d];
        }

        return s;
    }

    internal static void Normalize(double[] v)
    {
        var n = Math.Sqrt(Dot(v, v));
        if (n > 0)
        {
            for (var d = 0; d < v.Length; d++)
            {
                v[d] /= n;
            }
        }
    }

    /// <summary>The per-user hidden draws of the user-specific effects and their observable feature.</summary>
    /// <param name="SatiationScale">exp(σ·z_u) per user.</param>
    /// <param name="Patience">γ_u = exp(ρ·y_u) per user.</param>
    /// <param name="PatienceFeature">y_u + ν·ε_u per user, or null when patience is off.</param>
    public sealed record UserEffects(double[] SatiationScale, double[] Patience, float[]? PatienceFeature)
    {
        /// <summary>Both effects off for <paramref name="users"/> users.</summary>
        public static UserEffects None(int users) => new([.. Enumerable.Repeat(1.0, users)], [.. Enumerable.Repeat(1.0, users)], null);
    }
}
