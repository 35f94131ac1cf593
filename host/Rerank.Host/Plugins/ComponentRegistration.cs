using NuGet.Versioning;
using Rerank.Abstractions;

namespace Rerank.Host.Plugins;

/// <summary>One component a plugin registered: its kind, name, options type and factory.</summary>
internal sealed class ComponentRegistration
{
    private readonly Func<object, ComponentContext, IComponent> factory;

    public ComponentRegistration(string pluginId, NuGetVersion pluginVersion, ComponentKind kind, string name, string description, Type optionsType, Func<object, ComponentContext, IComponent> factory)
    {
        PluginId = pluginId;
        PluginVersion = pluginVersion;
        Kind = kind;
        Name = name;
        Description = description;
        OptionsType = optionsType;
        this.factory = factory;
    }

    public string PluginId { get; }

    public NuGetVersion PluginVersion { get; }

    public ComponentKind Kind { get; }

    public string Name { get; }

    public string Description { get; }

    public Type OptionsType { get; }

    /// <summary><c>id@version/name</c>.</summary>
    public string Reference => $"{PluginId}@{PluginVersion}/{Name}";

    /// <summary>Binds and validates <paramref name="parameters"/>; returns the options, or null when there were errors.</summary>
    public object? BindOptions(ParamMapping? parameters, ICollection<ConfigError> errors)
    {
        var before = errors.Count;
        var options = OptionsBinder.Bind(OptionsType, parameters, errors);
        return errors.Count == before ? options : null;
    }

    /// <summary>Builds the component from bound options.</summary>
    public IComponent Create(object options, ComponentContext context) => factory(options, context);
}
