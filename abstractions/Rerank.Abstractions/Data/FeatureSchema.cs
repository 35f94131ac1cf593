using System.Collections.Immutable;

namespace Rerank.Abstractions;

/// <summary>What a feature is: a categorical id with a vocabulary, or a dense vector of a fixed width.</summary>
public enum FeatureKind
{
    /// <summary>An integer id in <c>[0, Size)</c>, typically embedded by a model.</summary>
    Categorical,

    /// <summary>A vector of <c>Size</c> floats.</summary>
    Dense,
}

/// <summary>Whose feature it is.</summary>
public enum FeatureSide
{
    /// <summary>Describes the user (one value per request).</summary>
    User,

    /// <summary>Describes an item (one value per candidate and per history item).</summary>
    Item,

    /// <summary>Describes the context of the request (one value per request).</summary>
    Context,
}

/// <summary>One named feature of a <see cref="FeatureSchema"/>.</summary>
/// <param name="Name">Unique name, e.g. <c>item_id</c>.</param>
/// <param name="Kind">Categorical or dense.</param>
/// <param name="Side">User, item or context.</param>
/// <param name="Size">Vocabulary size for categorical features, width for dense ones.</param>
public sealed record FeatureField(string Name, FeatureKind Kind, FeatureSide Side, int Size);

/// <summary>
/// Names, kinds and sides of every feature a dataset provides. Each checkpoint records the schema it
/// was trained on; loading it against another schema is an error, never a silent mis-read.
/// </summary>
/// <remarks>
/// The order of fields of one side and kind is the order of values in the matching arrays of
/// <see cref="Item"/> and <see cref="RerankRequest"/>: the first item-side categorical field is
/// <c>Item.Categorical[0]</c>, and so on. Prior names give the order of <see cref="Item.Priors"/>.
/// </remarks>
public sealed record FeatureSchema
{
    /// <summary>Creates a schema.</summary>
    public FeatureSchema(IEnumerable<FeatureField> fields, IEnumerable<string> priorNames, int embeddingWidth)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(priorNames);
        ArgumentOutOfRangeException.ThrowIfNegative(embeddingWidth);
        Fields = [.. fields];
        PriorNames = [.. priorNames];
        EmbeddingWidth = embeddingWidth;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (!seen.Add(field.Name))
            {
                throw new ArgumentException($"Feature '{field.Name}' is declared twice.", nameof(fields));
            }

            if (field.Size <= 0)
            {
                throw new ArgumentException($"Feature '{field.Name}' has size {field.Size}; it must be positive.", nameof(fields));
            }
        }
    }

    /// <summary>Every feature, in declaration order.</summary>
    public ImmutableArray<FeatureField> Fields { get; }

    /// <summary>Names of the ranking-stage prior scores carried by candidates (e.g. <c>ctr</c>, <c>cvr</c>).</summary>
    public ImmutableArray<string> PriorNames { get; }

    /// <summary>Width of <see cref="Item.Embedding"/> (0 when items carry none).</summary>
    public int EmbeddingWidth { get; }

    /// <summary>Fields of one side and kind, in the order their values are stored.</summary>
    public ImmutableArray<FeatureField> Select(FeatureSide side, FeatureKind kind) =>
        [.. Fields.Where(f => f.Side == side && f.Kind == kind)];

    /// <summary>Total number of floats of the dense fields of one side.</summary>
    public int DenseWidth(FeatureSide side) => Fields.Where(f => f.Side == side && f.Kind == FeatureKind.Dense).Sum(f => f.Size);

    /// <summary>Number of categorical fields of one side.</summary>
    public int CategoricalCount(FeatureSide side) => Fields.Count(f => f.Side == side && f.Kind == FeatureKind.Categorical);

    /// <summary>Index of a prior by name, or -1.</summary>
    public int PriorIndex(string name) => PriorNames.IndexOf(name);

    /// <summary>A one-line description used in checkpoint metadata and mismatch messages.</summary>
    public string Describe() =>
        string.Join(", ", Fields.Select(f => $"{f.Name}:{f.Side}/{f.Kind}/{f.Size}"))
        + $"; priors: {string.Join(", ", PriorNames)}; embedding: {EmbeddingWidth}";

    /// <summary>Lists every difference between this schema and <paramref name="other"/>, by feature name.</summary>
    public IReadOnlyList<string> Differences(FeatureSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var diffs = new List<string>();
        var mine = Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var theirs = other.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var (name, field) in mine)
        {
            if (!theirs.TryGetValue(name, out var o))
            {
                diffs.Add($"feature '{name}' is missing");
            }
            else if (o != field)
            {
                diffs.Add($"feature '{name}' is {o.Side}/{o.Kind}/{o.Size}, expected {field.Side}/{field.Kind}/{field.Size}");
            }
        }

        diffs.AddRange(theirs.Keys.Where(n => !mine.ContainsKey(n)).Select(n => $"feature '{n}' is unexpected"));
        if (!PriorNames.SequenceEqual(other.PriorNames))
        {
            diffs.Add($"priors are [{string.Join(", ", other.PriorNames)}], expected [{string.Join(", ", PriorNames)}]");
        }

        if (EmbeddingWidth != other.EmbeddingWidth)
        {
            diffs.Add($"embedding width is {other.EmbeddingWidth}, expected {EmbeddingWidth}");
        }

        return diffs;
    }

    /// <inheritdoc />
    public bool Equals(FeatureSchema? other) => other is not null && Differences(other).Count == 0;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Fields.Length, PriorNames.Length, EmbeddingWidth);
}
