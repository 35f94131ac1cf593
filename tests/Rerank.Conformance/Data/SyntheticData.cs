using System.Globalization;
using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>
/// A small seeded world shaped like the simulator's (SIMULATOR.md): user features <c>user_id</c>, <c>user_segment</c>;
/// item features <c>item_id</c>, <c>category</c>, <c>log_price</c>; priors <c>ctr</c>, <c>cvr</c>; 16-wide embeddings;
/// a clicked history; N varies per request (5–12) so batches carry padding; L is 2–5; ground truth is
/// <see cref="SyntheticUtility"/>. Requests depend only on the seed and their index.
/// </summary>
public sealed class SyntheticData : IConformanceData
{
    /// <summary>Embedding width.</summary>
    public const int EmbeddingWidth = 16;

    private const int Users = 32;
    private const int Items = 240;
    private const int Categories = 6;
    private readonly ulong _worldSeed;
    private readonly Lazy<World> _world;

    /// <summary>Creates the source; <paramref name="worldSeed"/> fixes the catalogue and users.</summary>
    public SyntheticData(ulong worldSeed = 2026)
    {
        _worldSeed = worldSeed;
        _world = new Lazy<World>(() => World.Create(worldSeed));
    }

    /// <inheritdoc />
    public FeatureSchema Schema { get; } = new(
        [
            new FeatureField("user_id", FeatureKind.Categorical, FeatureSide.User, Users),
            new FeatureField("user_segment", FeatureKind.Categorical, FeatureSide.User, 4),
            new FeatureField("item_id", FeatureKind.Categorical, FeatureSide.Item, Items),
            new FeatureField("category", FeatureKind.Categorical, FeatureSide.Item, Categories),
            new FeatureField("log_price", FeatureKind.Dense, FeatureSide.Item, 1),
        ],
        ["ctr", "cvr"],
        EmbeddingWidth);

    /// <summary>The same requests without ground truth (as real data comes), for tests of components that need it.</summary>
    public static IReadOnlyList<RerankRequest> WithoutGroundTruth(IEnumerable<RerankRequest> requests) =>
        [.. requests.Select(r => new RerankRequest
        {
            RequestId = r.RequestId,
            UserId = r.UserId,
            UserCategorical = r.UserCategorical,
            UserDense = r.UserDense,
            ContextCategorical = r.ContextCategorical,
            ContextDense = r.ContextDense,
            History = r.History,
            Candidates = r.Candidates,
            SlateSize = r.SlateSize,
        })];

    /// <inheritdoc />
    public IReadOnlyList<RerankRequest> Requests(int count, ulong seed) =>
        [.. Enumerable.Range(0, count).Select(i => Request(seed, i))];

    /// <inheritdoc />
    public TrainingData Training(int lists, ulong seed)
    {
        var logged = new List<LoggedList>(lists);
        foreach (var request in Requests(lists, StableHash.Mix(seed, 0x7EA1)))
        {
            var random = new SplitMix(seed, "log/" + request.RequestId);
            var exposed = PlackettLuce(request, random);
            var outcome = request.GroundTruth!.Outcome(exposed);
            var clicks = outcome.Click.Select(p => random.NextDouble() < p ? 1f : 0f).ToArray();
            var conversions = outcome.Click.Select((p, t) => clicks[t] > 0 && random.NextDouble() < outcome.Conversion[t] / Math.Max(p, 1e-12) ? 1f : 0f).ToArray();
            logged.Add(new LoggedList(request, exposed, clicks, conversions));
        }

        var split = Math.Max(1, lists * 4 / 5);
        return new TrainingData(Schema, logged[..split], logged[split..]);
    }

    private static int[] PlackettLuce(RerankRequest request, SplitMix random)
    {
        // Logging policy as in SIMULATOR.md: Plackett–Luce over log ctr / T with T = 0.5.
        var remaining = Enumerable.Range(0, request.Candidates.Count).ToList();
        var exposed = new int[request.SlateSize];
        for (var t = 0; t < exposed.Length; t++)
        {
            var weights = remaining.Select(i => Math.Pow(request.Candidates[i].Priors[0], 2)).ToArray();
            var u = random.NextDouble() * weights.Sum();
            var k = 0;
            while (k < weights.Length - 1 && (u -= weights[k]) >= 0)
            {
                k++;
            }

            exposed[t] = remaining[k];
            remaining.RemoveAt(k);
        }

        return exposed;
    }

    private RerankRequest Request(ulong seed, int index)
    {
        var w = _world.Value;
        var id = string.Create(CultureInfo.InvariantCulture, $"syn-{_worldSeed}-{seed}-{index}");
        var random = new SplitMix(seed, id);
        var user = random.Next(Users);
        var history = Enumerable.Range(0, random.Between(3, 8)).Select(_ => random.Next(Items)).ToArray();

        // Current intent: taste pulled towards the recent history (SIMULATOR.md "One request", simplified).
        var intent = Normalize([.. Enumerable.Range(0, EmbeddingWidth).Select(k =>
            w.Taste[user][k] + history.Average(h => w.Embedding[h][k]))]);
        var n = random.Between(5, 12);
        var slate = random.Between(2, Math.Min(5, n));
        var chosen = new HashSet<int>();
        while (chosen.Count < n)
        {
            chosen.Add(random.Next(Items));
        }

        var items = chosen.ToArray();
        var r = new double[n];
        var g = new double[n];
        var prices = new double[n];
        var shown = new double[n][];
        var candidates = new Item[n];
        for (var i = 0; i < n; i++)
        {
            var j = items[i];
            r[i] = Sigmoid((2.5 * Dot(intent, w.Embedding[j])) + (0.5 * w.Quality[j]) - 1.0);
            g[i] = Sigmoid(-1.0 + (0.5 * w.Quality[j]));
            prices[i] = Math.Exp(w.LogPrice[j]);
            shown[i] = Normalize([.. w.Embedding[j].Select(v => v + (0.1 * random.Gaussian()))]);
            var ctr = Sigmoid(Logit(r[i]) + (0.5 * random.Gaussian()));
            var cvr = Sigmoid(Logit(g[i]) + (0.5 * random.Gaussian()));
            candidates[i] = ItemOf(w, j, [(float)ctr, (float)cvr], shown[i]);
        }

        return new RerankRequest
        {
            RequestId = id,
            UserId = string.Create(CultureInfo.InvariantCulture, $"u{user}"),
            UserCategorical = [user, w.Segment[user]],
            History = [.. history.Select(h => ItemOf(w, h, [], w.Embedding[h]))],
            Candidates = candidates,
            SlateSize = slate,
            GroundTruth = new SyntheticUtility(r, g, prices, shown),
        };
    }

    private static Item ItemOf(World w, int j, float[] priors, double[] embedding) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"i{j}"),
        Categorical = [j, w.Category[j]],
        Dense = [(float)w.LogPrice[j]],
        Priors = priors,
        Embedding = [.. embedding.Select(v => (float)v)],
        Price = (float)Math.Exp(w.LogPrice[j]),
    };

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static double[] Normalize(double[] v)
    {
        var norm = Math.Sqrt(Dot(v, v));
        return norm > 0 ? [.. v.Select(x => x / norm)] : v;
    }

    private sealed record World(int[] Category, double[][] Embedding, double[] Quality, double[] LogPrice, double[][] Taste, int[] Segment)
    {
        public static World Create(ulong seed)
        {
            var random = new SplitMix(seed, "world");
            var centroids = Enumerable.Range(0, Categories).Select(_ => Gaussians(random)).ToArray();
            var meanLogPrice = Enumerable.Range(0, Categories).Select(_ => 1 + (3 * random.NextDouble())).ToArray();
            var category = Enumerable.Range(0, Items).Select(_ => random.Next(Categories)).ToArray();
            var embedding = category.Select(c => Normalize([.. centroids[c].Zip(Gaussians(random), (m, z) => m + (0.5 * z))])).ToArray();
            var quality = Enumerable.Range(0, Items).Select(_ => random.Gaussian()).ToArray();
            var logPrice = category.Select(c => meanLogPrice[c] + (0.3 * random.Gaussian())).ToArray();
            var taste = Enumerable.Range(0, Users).Select(_ => Normalize(Gaussians(random))).ToArray();
            var segment = Enumerable.Range(0, Users).Select(_ => random.Next(4)).ToArray();
            return new World(category, embedding, quality, logPrice, taste, segment);
        }

        private static double[] Gaussians(SplitMix random) => [.. Enumerable.Range(0, EmbeddingWidth).Select(_ => random.Gaussian())];
    }
}
