using Rerank.Abstractions;
using Rerank.Runtime.Randomness;
using static Rerank.Simulation.Datasets.MovieLensFiles;

namespace Rerank.Simulation.Datasets;

/// <summary>The reranking lists cut from MovieLens-100K (see <see cref="MovieLensDatasetType"/> and docs/movielens.md).</summary>
internal sealed record MovieLensLists(FeatureSchema Schema, List<LoggedList> Train, List<LoggedList> Validation, List<LoggedList> Test)
{
    /// <summary>Builds every list; the same files, options and seed give the same lists.</summary>
    public static MovieLensLists Build(MovieLensFiles files, MovieLensOptions options, ulong seed)
    {
        var schema = new FeatureSchema(
            [
                new FeatureField("item_id", FeatureKind.Categorical, FeatureSide.Item, files.MaxMovie + 1),
                new FeatureField("release_year", FeatureKind.Dense, FeatureSide.Item, 1),
                new FeatureField("user_id", FeatureKind.Categorical, FeatureSide.User, files.MaxUser + 1),
                new FeatureField("age", FeatureKind.Categorical, FeatureSide.User, AgeBuckets),
                new FeatureField("gender", FeatureKind.Categorical, FeatureSide.User, 2),
                new FeatureField("occupation", FeatureKind.Categorical, FeatureSide.User, files.Occupations),
            ],
            ["popularity", "mean_rating"],
            Genres);
        var byUser = files.Ratings.GroupBy(r => r.User).OrderBy(g => g.Key)
            .Select(g => (User: g.Key, Ratings: g.OrderBy(r => r.Time).ThenBy(r => r.Movie).ToArray())).ToList();
        var per = options.RatingsPerList;

        // Priors from every rating outside the test lists (the last `per` ratings of each user), so test labels never leak.
        var counts = new int[files.MaxMovie + 1];
        var sums = new double[files.MaxMovie + 1];
        foreach (var (_, ratings) in byUser)
        {
            foreach (var r in ratings.AsSpan(0, Math.Max(0, ratings.Length - per)))
            {
                counts[r.Movie]++;
                sums[r.Movie] += r.Value;
            }
        }

        var logMax = Math.Log(1 + Math.Max(1, counts.Max()));
        var items = new Dictionary<int, Item>();
        var historyItems = new Dictionary<int, Item>();
        foreach (var (id, movie) in files.Movies)
        {
            float[] dense = [movie.Year == 0 ? 0f : Math.Clamp((movie.Year - 1920) / 80f, 0f, 1f)];
            float[] priors = [(float)(Math.Log(1 + counts[id]) / logMax), (float)((counts[id] == 0 ? 3.0 : sums[id] / counts[id]) / 5.0)];
            items[id] = new Item { Id = $"m{id}", Categorical = [id], Dense = dense, Priors = priors, Embedding = movie.Genres };
            historyItems[id] = new Item { Id = $"m{id}", Categorical = [id], Dense = dense, Embedding = movie.Genres };
        }

        var movieIds = files.Movies.Keys.Order().ToArray();
        var train = new List<LoggedList>();
        var validation = new List<LoggedList>();
        var test = new List<LoggedList>();
        foreach (var (user, ratings) in byUser)
        {
            var info = files.Users[user];
            var rated = ratings.Select(r => r.Movie).ToHashSet();
            var held = SeededRandom.For(seed, $"movielens/validation/{user}").NextDouble() < options.ValidationFraction;

            // Blocks of `per` consecutive ratings counted back from the newest; older leftovers only feed the history.
            var block = 0;
            for (var end = ratings.Length; end - per >= 0; end -= per, block++)
            {
                var start = end - per;
                var list = List(user, block, ratings.AsSpan(start, per), ratings.AsSpan(0, start), info, rated);
                (block == 0 ? test : held ? validation : train).Add(list);
            }
        }

        return new MovieLensLists(schema, train, validation, test);

        LoggedList List(int user, int block, ReadOnlySpan<Rating> chunk, ReadOnlySpan<Rating> before, UserInfo info, HashSet<int> rated)
        {
            var random = SeededRandom.For(seed, $"movielens/negatives/{user}/{block}");
            var chosen = new HashSet<int>();
            var candidates = new List<(int Movie, float Label)>(options.ListSize);
            foreach (var r in chunk)
            {
                chosen.Add(r.Movie);
                candidates.Add((r.Movie, r.Value >= options.PositiveRating ? 1f : 0f));
            }

            var unseen = movieIds.Length - rated.Count;
            var want = Math.Min(options.ListSize - chunk.Length, unseen);
            while (candidates.Count < chunk.Length + want)
            {
                var m = movieIds[random.NextInt(movieIds.Length)];
                if (!rated.Contains(m) && chosen.Add(m))
                {
                    candidates.Add((m, 0f));
                }
            }

            // The initial list is the popularity order (the "ranking stage"), ties by movie id.
            candidates.Sort((a, b) =>
            {
                var c = items[b.Movie].Priors[0].CompareTo(items[a.Movie].Priors[0]);
                return c != 0 ? c : a.Movie.CompareTo(b.Movie);
            });
            var history = new List<Item>();
            foreach (var r in before)
            {
                if (r.Value >= options.PositiveRating)
                {
                    history.Add(historyItems[r.Movie]);
                }
            }

            var request = new RerankRequest
            {
                RequestId = $"ml-u{user}-b{block}",
                UserId = $"u{user}",
                UserCategorical = [user, info.AgeBucket, info.Gender, info.Occupation],
                History = history.Count > options.HistoryLength ? history.GetRange(history.Count - options.HistoryLength, options.HistoryLength) : history,
                Candidates = [.. candidates.Select(c => items[c.Movie])],
                SlateSize = candidates.Count,
            };
            return new LoggedList(request, [.. Enumerable.Range(0, candidates.Count)], [.. candidates.Select(c => c.Label)], new float[candidates.Count]);
        }
    }
}
