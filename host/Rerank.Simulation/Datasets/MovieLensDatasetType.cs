using Rerank.Abstractions;

namespace Rerank.Simulation.Datasets;

/// <summary>
/// <c>dataset: {type: movielens, path: DIR, params: {…}}</c> cuts MovieLens-100K (the user's own copy in DIR) into reranking
/// lists: per user, time-ordered ratings; the last <c>ratings_per_list</c> ratings form the test list and the ones before
/// them, in blocks of the same size, the training lists; each list is filled up to <c>list_size</c> with items the user
/// never rated; positives are ratings ≥ <c>positive_rating</c>; the history is the user's earlier positives. Deterministic
/// under the experiment's seed. See <c>docs/movielens.md</c>.
/// </summary>
internal sealed class MovieLensDatasetType : IDatasetType
{
    public string Type => "movielens";

    public string Description => "How reranking lists are cut from MovieLens-100K; see docs/movielens.md.";

    public Type OptionsType => typeof(MovieLensOptions);

    public void Check(object options, DatasetSpec spec, ICollection<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Path is null)
        {
            errors.Add(new ConfigError(spec.Location, "dataset (movielens): 'path' must name a MovieLens-100K folder (u.data, u.item, u.user, u.occupation)"));
        }
        else if (!Directory.Exists(spec.Path))
        {
            errors.Add(new ConfigError(spec.Location, $"dataset (movielens): path '{spec.Path}' does not exist; download MovieLens-100K from GroupLens and point 'path' at its folder"));
        }
        else if (MovieLensFiles.Required.FirstOrDefault(f => !File.Exists(Path.Combine(spec.Path, f))) is { } missing)
        {
            errors.Add(new ConfigError(spec.Location, $"dataset (movielens): path '{spec.Path}' lacks {missing}"));
        }
    }

    public ExperimentData Load(object options, string? path, ulong seed, IProgress<double>? progress)
    {
        var o = (MovieLensOptions)options;
        var folder = path ?? throw new InvalidOperationException("dataset (movielens): 'path' is required");
        var files = MovieLensFiles.Read(folder);
        var lists = MovieLensLists.Build(files, o, seed);
        progress?.Report(1.0);
        var parameters = new List<KeyValuePair<string, object?>>
        {
            new("type", Type),
            new("path", folder),
            new("seed", seed),
            new("list_size", o.ListSize),
            new("ratings_per_list", o.RatingsPerList),
            new("positive_rating", o.PositiveRating),
            new("history_length", o.HistoryLength),
            new("validation_fraction", o.ValidationFraction),
            new("train_lists", lists.Train.Count),
            new("validation_lists", lists.Validation.Count),
            new("test_lists", lists.Test.Count),
        };
        return new ExperimentData(
            lists.Schema,
            new TrainingData(lists.Schema, lists.Train, lists.Validation),
            [.. lists.Test.Select(t => t.Request)],
            parameters,
            [.. lists.Test.Select(t => t.Clicks)]);
    }
}
