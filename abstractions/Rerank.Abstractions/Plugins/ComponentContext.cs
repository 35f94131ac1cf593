namespace Rerank.Abstractions;

/// <summary>What a component factory gets besides its options.</summary>
public sealed class ComponentContext
{
    /// <summary>Creates a context.</summary>
    public ComponentContext(string pluginId, string pluginVersion, string componentName, FeatureSchema? schema, ulong seed, IComponentResolver? components = null)
    {
        PluginId = pluginId;
        PluginVersion = pluginVersion;
        ComponentName = componentName;
        Schema = schema;
        Seed = seed;
        Components = components;
    }

    /// <summary>Id of the plugin the component comes from.</summary>
    public string PluginId { get; }

    /// <summary>Version of that plugin.</summary>
    public string PluginVersion { get; }

    /// <summary>The registered component name.</summary>
    public string ComponentName { get; }

    /// <summary>The feature schema of the data the pipeline runs on, when known.</summary>
    public FeatureSchema? Schema { get; }

    /// <summary>The seed from config (for initialisation and sampling).</summary>
    public ulong Seed { get; }

    /// <summary>Resolves other components by reference (e.g. a teacher evaluator), when the host offers it.</summary>
    public IComponentResolver? Components { get; }

    /// <summary>
    /// Where the component should run its model's inference: <c>cpu</c> (the default) or <c>cuda</c> (the YAML key
    /// <c>device:</c>). The host has already checked that a GPU is usable; without one it passes <c>cpu</c>.
    /// </summary>
    public string Device { get; init; } = "cpu";
}

/// <summary>Builds other components from references such as <c>degre@^1.0/evaluator</c>.</summary>
public interface IComponentResolver
{
    /// <summary>Builds (or returns the shared instance of) the component that <paramref name="reference"/> names, with default options.</summary>
    TComponent Resolve<TComponent>(string reference)
        where TComponent : class, IComponent;

    /// <summary>
    /// Builds (or returns the shared instance of) the component that <paramref name="reference"/> names, with
    /// <paramref name="parameters"/> bound to its options (null: defaults). The same reference and params give the same
    /// instance as a pipeline stage or <c>evaluators:</c> entry with those params, so it is trained once.
    /// </summary>
    TComponent Resolve<TComponent>(string reference, ParamMapping? parameters)
        where TComponent : class, IComponent;
}
