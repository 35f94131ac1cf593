namespace Rerank.Simulation.Logs;

/// <summary>The values of a categorical column mapped to ids 0 … V−1 in order of first appearance.</summary>
internal sealed class LogVocabulary
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>V: how many distinct values were seen.</summary>
    public int Count => _ids.Count;

    /// <summary>The id of <paramref name="value"/>, adding it when new.</summary>
    public int Add(string value)
    {
        if (!_ids.TryGetValue(value, out var id))
        {
            id = _ids.Count;
            _ids.Add(value, id);
        }

        return id;
    }

    /// <summary>The id of a value seen before.</summary>
    public int this[string value] => _ids[value];

    /// <summary>Whether <paramref name="value"/> was seen.</summary>
    public bool Contains(string value) => _ids.ContainsKey(value);
}

/// <summary>What is known of an item from the first row where it is a candidate: its features, for history entries.</summary>
internal sealed record LogCatalogueEntry(int[] Categorical, float[] Dense, float[] Embedding, float Price);
