using NuGet.Versioning;
using Rerank.Abstractions;

namespace Rerank.Runtime.Plugins;

/// <summary>One component a plugin registered: its kind, name, options type and factory.</summary>
public sealed class ComponentRegistration
{
    private readonly Func<object, ComponentContext, IComponent> _factory;

    internal ComponentRegistration(string pluginId, NuGetVersion pluginVersion, ComponentKind kind, string name, string description, Type optionsType, Func<object, ComponentContext, IComponent> factory)
    {
        PluginId = pluginId;
        PluginVersion = pluginVersion;
        Kind = kind;
        Name = name;
        Description = description;
        OptionsType = optionsType;
        _factory = factory;
    }

    /// <summary>The id of the plugin that registered it.</summary>
    public string PluginId { get; }

    /// <summary>The version of that plugin.</summary>
    public NuGetVersion PluginVersion { get; }

    /// <summary>The kind of component.</summary>
    public ComponentKind Kind { get; }

    /// <summary>The name YAML references it by.</summary>
    public string Name { get; }

    /// <summary>One line on what it does.</summary>
    public string Description { get; }

    /// <summary>The options type its <c>params:</c> bind to.</summary>
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
    public IComponent Create(object options, ComponentContext context) => _factory(options, context);
}
