using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Simulation.Datasets;

/// <summary>
/// How reranking lists are cut from MovieLens-100K (<c>dataset: {type: movielens, path: DIR, params: {…}}</c>); see
/// <c>docs/movielens.md</c>.
/// </summary>
public sealed class MovieLensOptions : IValidatableOptions
{
    /// <summary>Candidates per list, N (YAML <c>list_size</c>). Range: [2, 10000].</summary>
    [Range(2, 10_000)]
    public int ListSize { get; set; } = 30;

    /// <summary>Consecutive ratings of the user in each list; the rest are sampled unseen items (YAML <c>ratings_per_list</c>). Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int RatingsPerList { get; set; } = 20;

    /// <summary>A rating at least this high is a positive (YAML <c>positive_rating</c>). Range: [1, 5].</summary>
    [Range(1, 5)]
    public int PositiveRating { get; set; } = 4;

    /// <summary>Earlier positives kept as history, newest last (YAML <c>history_length</c>). Range: [0, 4096].</summary>
    [Range(0, 4096)]
    public int HistoryLength { get; set; } = 128;

    /// <summary>Share of users whose training lists are held out for validation (YAML <c>validation_fraction</c>). Range: [0, 1).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double ValidationFraction { get; set; } = 0.1;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (RatingsPerList > ListSize)
        {
            yield return $"ratings_per_list must be in [1, list_size = {ListSize}], got {RatingsPerList}";
        }
    }
}
