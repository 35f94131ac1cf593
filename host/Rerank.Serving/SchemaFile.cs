using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Rerank.Serving;

/// <summary>
/// Reads a feature schema from YAML (JSON is YAML too):
/// <c>fields: [{name, kind: categorical|dense, side: user|item|context, size}]</c>, <c>priors: [ctr, cvr]</c>, <c>embedding: 16</c>.
/// </summary>
public static class SchemaFile
{
    /// <summary>The range of a field's <c>size</c>: a categorical vocabulary or a dense width.</summary>
    public static readonly IntRange FieldSizeRange = new(1, 10_000_000);

    /// <summary>The range of <c>embedding</c>, the content embedding's width (0: none).</summary>
    public static readonly IntRange EmbeddingRange = new(0, 4096);

    internal static FeatureSchema? Read(string path, ICollection<ConfigError> errors)
    {
        var display = PipelineParser.DisplayPath(path);
        var before = errors.Count;
        var root = YamlReader.Load(path, display, errors);
        if (root is null)
        {
            return null;
        }

        var y = new YamlReader(display, errors);
        y.CheckKeys(root, "schema", "fields", "priors", "embedding");
        var fields = new List<FeatureField>();
        if (y.Sequence(y.Get(root, "fields"), "schema: fields") is { } seq)
        {
            foreach (var node in seq.Children)
            {
                if (y.Mapping(node, "schema: each field") is { } map)
                {
                    y.CheckKeys(map, "schema field", "name", "kind", "side", "size");
                    var name = y.String(map, "name", "schema field", required: true);
                    var kind = Enum<FeatureKind>(y, map, "kind", name);
                    var side = Enum<FeatureSide>(y, map, "side", name);
                    var size = y.Int(map, "size", $"schema field '{name}'", FieldSizeRange);
                    if (size is null && y.Get(map, "size") is null)
                    {
                        y.Error(map, $"schema field '{name}': 'size' is required (vocabulary size or dense width)");
                    }

                    if (name is not null && kind is not null && side is not null && size is not null)
                    {
                        fields.Add(new FeatureField(name, kind.Value, side.Value, size.Value));
                    }
                }
            }
        }
        else if (y.Get(root, "fields") is null)
        {
            y.Error(root, "schema: 'fields' is required");
        }

        var priors = new List<string>();
        if (y.Sequence(y.Get(root, "priors"), "schema: priors") is { } priorSeq)
        {
            priors.AddRange(priorSeq.Children.Select(p => (p as YamlScalarNode)?.Value ?? "").Where(p => p.Length > 0));
        }

        var embedding = y.Int(root, "embedding", "schema", EmbeddingRange) ?? 0;
        if (errors.Count > before)
        {
            return null;
        }

        try
        {
            return new FeatureSchema(fields, priors, embedding);
        }
        catch (ArgumentException e)
        {
            errors.Add(new ConfigError(y.At(root), $"schema: {e.Message}"));
            return null;
        }
    }

    private static TEnum? Enum<TEnum>(YamlReader y, YamlMappingNode map, string key, string? field)
        where TEnum : struct, Enum
    {
        var text = y.String(map, key, $"schema field '{field}'", required: true);
        if (text is null)
        {
            return null;
        }

        if (System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value))
        {
            return value;
        }

        y.Error(y.Get(map, key)!, $"schema field '{field}': {key} '{text}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}");
        return null;
    }
}
