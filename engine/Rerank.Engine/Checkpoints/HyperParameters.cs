using System.Text.Json;

namespace Rerank.Engine.Checkpoints;

/// <summary>
/// The hyper-parameters a checkpoint records and a load compares, key by key: the public properties of an options object
/// as a flat JSON object — snake_case keys (the YAML names: <c>MaxLength</c> is <c>max_length</c>), enums by name, nested
/// objects and lists as JSON values (but the members of an <c>[InlineParams]</c> property, such as the shared training
/// settings, at the options' level, as YAML writes them), and properties whose value is null left out. A property added in a later plugin
/// version should therefore be nullable (null: the old behaviour), so that earlier checkpoints, which lack it, still match.
/// </summary>
public sealed class HyperParameters
{
    private HyperParameters(string json, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> legacyValues)
    {
        Json = json;
        Values = values;
        LegacyValues = legacyValues;
    }

    /// <summary>The JSON object recorded in the checkpoint.</summary>
    public string Json { get; }

    /// <summary>Each key's value as compact JSON text, in property order.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>The same values as the writers before the contract serialised them (C# property names, enums as numbers), for format-0 files.</summary>
    internal IReadOnlyDictionary<string, string> LegacyValues { get; }

    /// <summary>The hyper-parameters of <paramref name="values"/> (an options object, a record or an anonymous object).</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not serialise to a JSON object.</exception>
    public static HyperParameters From(object values)
    {
        ArgumentNullException.ThrowIfNull(values);
        // Fresh serializer options each time: a cached instance would keep a plugin's types (and its unloadable context) alive.
        var canonical = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        };
        var element = JsonSerializer.SerializeToElement(values, values.GetType(), canonical);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Hyper-parameters must be an object with properties; {values.GetType().Name} serialises to a JSON {element.ValueKind}.", nameof(values));
        }

        var inline = InlineProperties(values.GetType());
        var execution = PropertiesMarked(values.GetType(), "ExecutionSettingAttribute");
        var map = JsonValues.Of(element, inline.Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p)).ToHashSet(StringComparer.Ordinal));
        var legacy = JsonValues.Of(JsonSerializer.SerializeToElement(values, values.GetType(), new JsonSerializerOptions()), inline.ToHashSet(StringComparer.Ordinal));
        foreach (var name in execution)
        {
            map.Remove(JsonNamingPolicy.SnakeCaseLower.ConvertName(name));
            legacy.Remove(name);
        }

        return new HyperParameters(JsonValues.ToJson(map), map, legacy);
    }

    /// <inheritdoc />
    public override string ToString() => Json;

    /// <summary>
    /// Properties marked <c>[InlineParams]</c> (the attribute of <c>Rerank.Abstractions</c>, matched by name since the engine
    /// references no project): their members are recorded at the options' level, as YAML writes them.
    /// </summary>
    private static List<string> InlineProperties(Type type) => PropertiesMarked(type, "InlineParamsAttribute");

    /// <summary>
    /// The public properties carrying an attribute of <paramref name="attribute"/>'s name. <c>ExecutionSettingAttribute</c>
    /// (how a component runs, such as CUDA graphs) is left out of the hyper-parameters: a checkpoint loads whatever it is set to.
    /// </summary>
    private static List<string> PropertiesMarked(Type type, string attribute) =>
        [.. type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.GetCustomAttributes(inherit: true).Any(a => a.GetType().Name == attribute))
            .Select(p => p.Name)];
}
