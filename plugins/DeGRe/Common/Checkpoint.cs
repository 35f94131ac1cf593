using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Engine.IO;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// Safetensors checkpoints of DeGRe models: the <c>__metadata__</c> records plugin id and version, component,
/// hyper-parameters and schema; loading against other hyper-parameters or another schema is an error naming each mismatch.
/// </summary>
internal static class Checkpoint
{
    public const string PluginId = "degre";
    public const string PluginVersion = "1.0.0";

    /// <summary>Writes <paramref name="model"/> atomically with its metadata.</summary>
    public static void Save(Module model, string path, string component, object options, FeatureSchema schema) =>
        model.Save(path, Metadata(component, options, schema));

    /// <summary>Checks the file's metadata against the expected one, then loads the weights (shapes and names checked by the engine).</summary>
    public static void Load(Module model, string path, string component, object options, FeatureSchema schema)
    {
        var found = SafeTensors.Load(path).Metadata;
        var expected = Metadata(component, options, schema);
        var problems = new List<string>();
        foreach (var (key, value) in expected)
        {
            if (!found.TryGetValue(key, out var actual))
            {
                problems.Add($"{key} is missing");
            }
            else if (key == "schema")
            {
                if (actual != value)
                {
                    problems.Add($"schema is [{actual}], expected [{value}]");
                }
            }
            else if (actual != value)
            {
                problems.Add($"{key} is {actual}, expected {value}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ComponentException($"{component}: checkpoint {path} does not match: {string.Join("; ", problems)}");
        }

        model.Load(path);
    }

    private static Dictionary<string, string> Metadata(string component, object options, FeatureSchema schema) => new(StringComparer.Ordinal)
    {
        ["plugin"] = PluginId,
        ["version"] = PluginVersion,
        ["component"] = component,
        ["params"] = JsonSerializer.Serialize(options, options.GetType()),
        ["schema"] = schema.Describe(),
    };
}
