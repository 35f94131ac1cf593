namespace Rerank.Engine.Checkpoints;

/// <summary>
/// The keys of a checkpoint's safetensors <c>__metadata__</c> (format 1). Every value is a string; other keys (such as
/// PyTorch's <c>format</c>) are ignored.
/// </summary>
public static class CheckpointMetadata
{
    /// <summary>The checkpoint format, <c>1</c> (absent in the files written before the contract: format 0).</summary>
    public const string FormatVersion = "format_version";

    /// <summary>The version of Rerank.Engine that wrote the file (recorded, not checked).</summary>
    public const string EngineVersion = "engine_version";

    /// <summary>The plugin id.</summary>
    public const string Plugin = "plugin";

    /// <summary>The plugin's version.</summary>
    public const string PluginVersion = "plugin_version";

    /// <summary>The component (or shared model) name.</summary>
    public const string Component = "component";

    /// <summary>The hyper-parameters, a JSON object (snake_case keys as in YAML, enums by name, unset values left out).</summary>
    public const string HyperParameters = "hyper_parameters";

    /// <summary>The feature schema, as <c>FeatureSchema.Describe()</c> writes it.</summary>
    public const string Schema = "schema";

    /// <summary>Prefix of a component's own learned values that are not tensors (<c>state.mean_price</c>).</summary>
    public const string StatePrefix = "state.";
}
