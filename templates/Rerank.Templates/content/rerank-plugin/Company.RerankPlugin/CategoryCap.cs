using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Company.RerankPlugin;

/// <summary>Options of <c>category-cap</c>, bound from the pipeline's <c>params:</c> (<c>max_per_category</c>, <c>penalty</c>, <c>field</c>).</summary>
public sealed class CategoryCapOptions : IValidatableOptions
{
    /// <summary>At most this many items of one category in a slate (the post-pass relaxes it only when no other item is left).</summary>
    [Range(1, 1000)]
    public int MaxPerCategory { get; set; } = 2;

    /// <summary>In decoding: subtracted from a candidate's score per item of its category already in the prefix.</summary>
    [Range(0.0, 1000.0)]
    public double Penalty { get; set; } = 0.5;

    /// <summary>The item categorical feature that holds the category.</summary>
    public string Field { get; set; } = "category";

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Field))
        {
            yield return "field must name an item categorical feature";
        }
    }
}

/// <summary>
/// A diversifier both ways the contract offers. After ranking (<see cref="Diversify"/>), it walks the ranked slate and
/// takes each item unless its category is already full, then fills any remaining places in rank order. Inside a decoder
/// (<see cref="Adjust"/>), it lowers each candidate's score by <c>penalty</c> per item of its category in the row's prefix.
/// </summary>
internal sealed class CategoryCapDiversifier(CategoryCapOptions options, string name) : IDiversifier
{
    public string Name { get; } = name;

    public Slate Diversify(RerankBatch batch, int request, Slate ranked, int size)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(ranked);
        var field = FieldIndex(batch);
        var chosen = new List<int>(size);
        var perCategory = new Dictionary<int, int>();
        foreach (var item in ranked.Indices)
        {
            var category = Category(batch, request, item, field);
            if (chosen.Count < size && perCategory.GetValueOrDefault(category) < options.MaxPerCategory)
            {
                chosen.Add(item);
                perCategory[category] = perCategory.GetValueOrDefault(category) + 1;
            }
        }

        // Too few categories to respect the cap: fill with the best remaining items rather than return a short slate.
        chosen.AddRange(ranked.Indices.Where(i => !chosen.Contains(i)).Take(size - chosen.Count));
        return new Slate([.. chosen], ranked.Score);
    }

    public void Adjust(RerankBatch batch, StepRows rows, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rows);
        var field = FieldIndex(batch);
        var n = batch.MaxCandidates;
        for (var r = 0; r < rows.Count; r++)
        {
            var b = rows.Request[r];
            var prefix = rows.Prefix(r);
            for (var c = 0; c < batch.CandidateCounts[b]; c++)
            {
                var category = Category(batch, b, c, field);
                var same = 0;
                foreach (var p in prefix)
                {
                    same += Category(batch, b, p, field) == category ? 1 : 0;
                }

                scores[(r * n) + c] -= (float)(options.Penalty * same);
            }
        }
    }

    private int FieldIndex(RerankBatch batch)
    {
        var fields = batch.Schema.Select(FeatureSide.Item, FeatureKind.Categorical);
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].Name == options.Field)
            {
                return i;
            }
        }

        throw new InvalidOperationException(
            $"{Name}: the data has no item categorical feature '{options.Field}' (it has: {string.Join(", ", fields.Select(f => f.Name))}); set params.field");
    }

    private static int Category(RerankBatch batch, int b, int item, int field) =>
        batch.CandidateCategorical[(batch.CandidateOffset(b, item) * batch.ItemCategoricalCount) + field];
}
