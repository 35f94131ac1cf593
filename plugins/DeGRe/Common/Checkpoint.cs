using System.Text.Json;
using System.Text.Json.Serialization;
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

    // Unset optional params (null) are left out, so checkpoints written before such a param existed still load.
    private static readonly JsonSerializerOptions ParamsJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Saves a component's trained model; a component without one yet is an error naming it.</summary>
    public static void SaveTrained(Module? model, FeatureSchema? schema, string path, string component, object options)
    {
        if (model is null || schema is null)
        {
            throw new ComponentException($"{component}: nothing to save; it has not been trained");
        }

        Save(model, path, component, options, schema);
    }

    /// <summary>Loads a checkpoint into a component's model and switches it to inference; a component not yet built against a schema is an error naming it.</summary>
    public static void LoadInto(Module? model, FeatureSchema? schema, string path, string component, object options)
    {
        if (model is null || schema is null)
        {
            throw new ComponentException($"{component}: cannot load {path} without a feature schema; build it against a dataset first");
        }

        Load(model, path, component, options, schema);
        model.Eval();
    }

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
        ["params"] = JsonSerializer.Serialize(options, options.GetType(), ParamsJson),
        ["schema"] = schema.Describe(),
    };
}
