using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>
/// Safetensors checkpoints with <c>__metadata__</c> recording the plugin id and version, the component, its
/// hyper-parameters (the options as JSON) and the schema; loading checks all of them and lists every mismatch.
/// </summary>
internal static class Checkpoint
{
    public const string PluginId = "nar4rec";
    public const string PluginVersion = "1.0.0";

    public static void Save(Module model, string path, string component, object options, FeatureSchema schema, IReadOnlyDictionary<string, string>? extra = null)
    {
        var metadata = Metadata(component, options, schema);
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            metadata[k] = v;
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        model.Save(full, metadata);
    }

    /// <summary>Loads <paramref name="path"/> into <paramref name="model"/> after checking the metadata; returns it.</summary>
    public static IReadOnlyDictionary<string, string> Load(Module model, string path, string component, object options, FeatureSchema schema)
    {
        if (!File.Exists(path))
        {
            throw new ComponentException($"{component}: checkpoint '{path}' does not exist");
        }

        var header = Rerank.Engine.IO.SafeTensors.Load(path).Metadata;
        var expected = Metadata(component, options, schema);
        var problems = new List<string>();
        foreach (var (key, value) in expected)
        {
            if (!header.TryGetValue(key, out var found))
            {
                problems.Add($"metadata '{key}' is missing");
            }
            else if (!string.Equals(found, value, StringComparison.Ordinal))
            {
                problems.Add(key == "schema"
                    ? $"schema differs: checkpoint has [{found}], the data has [{value}]"
                    : $"metadata '{key}' is '{found}', expected '{value}'");
            }
        }

        if (problems.Count > 0)
        {
            throw new ComponentException($"{component}: checkpoint '{path}' does not match: {string.Join("; ", problems)}");
        }

        try
        {
            return model.Load(path);
        }
        catch (CheckpointMismatchException e)
        {
            throw new ComponentException($"{component}: checkpoint '{path}' does not match: {string.Join("; ", e.Mismatches)}", e);
        }
    }

    private static Dictionary<string, string> Metadata(string component, object options, FeatureSchema schema) => new(StringComparer.Ordinal)
    {
        ["plugin"] = PluginId,
        ["plugin_version"] = PluginVersion,
        ["component"] = component,
        ["hyper_parameters"] = JsonSerializer.Serialize(options, options.GetType()),
        ["schema"] = schema.Describe(),
    };
}
