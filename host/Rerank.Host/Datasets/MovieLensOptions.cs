using Rerank.Abstractions;

namespace Rerank.Host.Datasets;

/// <summary>
/// How reranking lists are cut from MovieLens-100K (<c>dataset: {type: movielens, path: DIR, params: {…}}</c>); see
/// <c>docs/movielens.md</c>.
/// </summary>
public sealed class MovieLensOptions : IValidatableOptions
{
    /// <summary>Candidates per list, N (YAML <c>list_size</c>).</summary>
    public int ListSize { get; set; } = 30;

    /// <summary>Consecutive ratings of the user in each list; the rest are sampled unseen items (YAML <c>ratings_per_list</c>).</summary>
    public int RatingsPerList { get; set; } = 20;

    /// <summary>A rating at least this high is a positive (YAML <c>positive_rating</c>).</summary>
    public int PositiveRating { get; set; } = 4;

    /// <summary>Earlier positives kept as history, newest last (YAML <c>history_length</c>).</summary>
    public int HistoryLength { get; set; } = 128;

    /// <summary>Share of users whose training lists are held out for validation (YAML <c>validation_fraction</c>).</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (ListSize < 2)
        {
            yield return $"list_size must be at least 2, got {ListSize}";
        }

        if (RatingsPerList < 1 || RatingsPerList > ListSize)
        {
            yield return $"ratings_per_list must be in [1, list_size = {ListSize}], got {RatingsPerList}";
        }

        if (PositiveRating is < 1 or > 5)
        {
            yield return $"positive_rating must be in [1, 5], got {PositiveRating}";
        }

        if (HistoryLength < 0)
        {
            yield return $"history_length must be 0 or more, got {HistoryLength}";
        }

        if (ValidationFraction is < 0 or >= 1)
        {
            yield return $"validation_fraction must be in [0, 1), got {ValidationFraction}";
        }
    }
}
