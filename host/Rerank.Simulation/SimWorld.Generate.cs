using Rerank.Runtime.Randomness;

namespace Rerank.Simulation;

internal sealed partial class SimWorld
{
    /// <summary>Draws a world from <paramref name="options"/> under <paramref name="seed"/> (SIMULATOR.md "World").</summary>
    public static SimWorld Generate(SimulatorOptions options, ulong seed)
    {
        var rng = SeededRandom.For(seed, "world");
        var k = options.EmbeddingDim;
        var c = options.Categories;

        // Zipf popularity P(c) ∝ 1/(c+1)^s; centroid μ_c ~ N(0, I_k); per-category log-price m_c ~ U(1, 4).
        var popularity = new double[c];
        for (var i = 0; i < c; i++)
        {
            popularity[i] = (i == 0 ? 0 : popularity[i - 1]) + Math.Pow(i + 1, -options.CategoryZipf);
        }

        var centroids = new double[c][];
        var logPrice = new double[c];
        for (var i = 0; i < c; i++)
        {
            centroids[i] = Gaussian(rng, k, 1.0);
            logPrice[i] = rng.Uniform(options.LogPriceMin, options.LogPriceMax);
        }

        var n = options.Items;
        var category = new int[n];
        var embedding = new double[n][];
        var observed = new float[n][];
        var quality = new double[n];
        var price = new double[n];
        for (var j = 0; j < n; j++)
        {
            var cj = Draw(popularity, 0, c, rng.NextDouble() * popularity[c - 1]);
            category[j] = cj;

            // e_j = normalize(μ_c + 0.5·z); q_j ~ N(0, 1); p_j = exp(m_c + 0.5·z).
            var e = Gaussian(rng, k, options.ItemSpread);
            for (var d = 0; d < k; d++)
            {
                e[d] += centroids[cj][d];
            }

            Normalize(e);
            embedding[j] = e;
            quality[j] = rng.NextGaussian();
            price[j] = Math.Exp(logPrice[cj] + (options.PriceSpread * rng.NextGaussian()));

            // Observable embedding: e_j plus N(0, 0.1²) noise, renormalised.
            var o = Gaussian(rng, k, options.EmbeddingNoise);
            for (var d = 0; d < k; d++)
            {
                o[d] += e[d];
            }

            Normalize(o);
            observed[j] = [.. o.Select(x => (float)x)];
        }

        var users = options.Users;
        var taste = new double[users][];
        var sensitivity = new double[users];
        for (var u = 0; u < users; u++)
        {
            taste[u] = Gaussian(rng, k, 1.0);
            sensitivity[u] = rng.Uniform(options.PriceSensitivityMin, options.PriceSensitivityMax);
        }

        return new SimWorld(c, category, price, quality, embedding, observed, taste, sensitivity, Segments(sensitivity, options.Segments), DrawComplements(options, seed), DrawUserEffects(options, seed));
    }

    /// <summary>
    /// The user-specific effects: per user, from a stream of its own (so the other draws are unchanged), z_u, y_u, ε_u ~
    /// N(0, 1) in that order; exp(σ·z_u) scales η, γ_u = exp(ρ·y_u), and the observable user_patience is y_u + ν·ε_u.
    /// Every multiplier is exactly 1 (and there is no feature) when its spread is 0.
    /// </summary>
    public static UserEffects DrawUserEffects(SimulatorOptions options, ulong seed)
    {
        var users = options.Users;
        var none = UserEffects.None(users);
        if (options.SatiationUserSpread <= 0 && options.PatienceSpread <= 0)
        {
            return none;
        }

        var satiation = none.SatiationScale;
        var patience = none.Patience;
        var feature = options.PatienceSpread > 0 ? new float[users] : null;
        var stream = StableHash(seed, "user-effects");
        for (var u = 0; u < users; u++)
        {
            var rng = SeededRandom.For(stream, (ulong)u);
            var z = rng.NextGaussian();
            var y = rng.NextGaussian();
            var noise = rng.NextGaussian();
            if (options.SatiationUserSpread > 0)
            {
                satiation[u] = Math.Exp(options.SatiationUserSpread * z);
            }

            if (feature is not null)
            {
                patience[u] = Math.Exp(options.PatienceSpread * y);
                feature[u] = (float)(y + (options.PatienceFeatureNoise * noise));
            }
        }

        return new UserEffects(satiation, patience, feature);
    }

    /// <summary>
    /// The hidden complement graph: for each category in order 0, 1, …, min(K, C − 1) distinct other categories drawn
    /// uniformly (partial Fisher–Yates), from a stream of its own so that the other world draws are unchanged.
    /// </summary>
    public static int[][] DrawComplements(SimulatorOptions options, ulong seed)
    {
        var rng = SeededRandom.For(seed, "complements");
        var c = options.Categories;
        var k = Math.Min(options.ComplementsPerCategory, c - 1);
        var graph = new int[c][];
        var others = new int[Math.Max(0, c - 1)];
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < others.Length; j++)
            {
                others[j] = j < i ? j : j + 1;
            }

            for (var j = 0; j < k; j++)
            {
                var pick = j + rng.NextInt(others.Length - j);
                (others[j], others[pick]) = (others[pick], others[j]);
            }

            graph[i] = others[..k];
            Array.Sort(graph[i]);
        }

        return graph;
    }

    /// <summary>
    /// The click stream of every user: the next item keeps the previous one's category with probability 0.6 (drawn
    /// within it ∝ exp(⟨w_u, e_j⟩ / 0.5)), otherwise it is drawn from the whole catalogue with the same weights. With
    /// user-specific satiation (σ &gt; 0) the stay probability is 0.6^exp(σ·z_u): higher when η_u is lower.
    /// </summary>
    public int[][] Streams(SimulatorOptions options, ulong seed)
    {
        var byCategory = Enumerable.Range(0, Items).OrderBy(j => ItemCategory[j]).ThenBy(j => j).ToArray();
        var start = new int[Categories + 1];
        foreach (var j in byCategory)
        {
            start[ItemCategory[j] + 1]++;
        }

        for (var i = 0; i < Categories; i++)
        {
            start[i + 1] += start[i];
        }

        var streams = new int[Users][];
        Parallel.For(0, Users, u =>
        {
            var rng = SeededRandom.For(StableHash(seed, "stream"), (ulong)u);
            var cumulative = Cumulative(u, byCategory, options.StreamTemperature);
            var stream = new int[options.StreamLength];
            var stay = options.SatiationUserSpread > 0 ? Math.Pow(options.StreamStay, SatiationScale[u]) : options.StreamStay;
            var previous = -1;
            for (var t = 0; t < stream.Length; t++)
            {
                int lo = 0, hi = Items;
                if (previous >= 0 && rng.Bernoulli(stay))
                {
                    lo = start[ItemCategory[previous]];
                    hi = start[ItemCategory[previous] + 1];
                }

                var below = lo == 0 ? 0.0 : cumulative[lo - 1];
                var target = below + (rng.NextDouble() * (cumulative[hi - 1] - below));
                previous = byCategory[Draw(cumulative, lo, hi, target)];
                stream[t] = previous;
            }

            streams[u] = stream;
        });

        return streams;
    }

    /// <summary>⟨w_u, e_j⟩ for every item.</summary>
    public double[] Affinity(int user)
    {
        var a = new double[Items];
        for (var j = 0; j < a.Length; j++)
        {
            a[j] = Dot(Taste[user], Embedding[j]);
        }

        return a;
    }

    /// <summary>Running sums of exp(scale·⟨w_u, e_j⟩ − max) over items in index order.</summary>
    public double[] CumulativeWeights(int user, double scale)
    {
        var affinity = Affinity(user);
        var max = affinity.Max();
        var cumulative = new double[Items];
        var sum = 0.0;
        for (var j = 0; j < affinity.Length; j++)
        {
            sum += Math.Exp(scale * (affinity[j] - max));
            cumulative[j] = sum;
        }

        return cumulative;
    }

    private double[] Cumulative(int user, int[] order, double temperature)
    {
        var affinity = Affinity(user);
        var max = affinity.Max();
        var cumulative = new double[Items];
        var sum = 0.0;
        for (var i = 0; i < order.Length; i++)
        {
            sum += Math.Exp((affinity[order[i]] - max) / temperature);
            cumulative[i] = sum;
        }

        return cumulative;
    }

    /// <summary>The first index in [lo, hi) whose cumulative weight exceeds <paramref name="target"/>.</summary>
    internal static int Draw(double[] cumulative, int lo, int hi, double target)
    {
        var last = hi - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cumulative[mid] > target)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return Math.Min(lo, last);
    }

    private static int[] Segments(double[] sensitivity, int segments)
    {
        var order = Enumerable.Range(0, sensitivity.Length).OrderBy(u => sensitivity[u]).ThenBy(u => u).ToArray();
        var segment = new int[sensitivity.Length];
        for (var rank = 0; rank < order.Length; rank++)
        {
            segment[order[rank]] = (int)((long)rank * segments / order.Length);
        }

        return segment;
    }

    private static double[] Gaussian(SeededRandom rng, int k, double scale)
    {
        var v = new double[k];
        for (var d = 0; d < k; d++)
        {
            v[d] = scale * rng.NextGaussian();
        }

        return v;
    }

    internal static ulong StableHash(ulong seed, string salt) => Abstractions.StableHash.Mix(seed, Abstractions.StableHash.Of(salt));
}
