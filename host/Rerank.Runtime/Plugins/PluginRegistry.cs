using NuGet.Versioning;
using Rerank.Abstractions;

namespace Rerank.Runtime.Plugins;

/// <summary>Collects the registrations of one plugin; duplicates of a kind and name fail loudly.</summary>
internal sealed class PluginRegistry : IPluginRegistry
{
    private readonly List<ComponentRegistration> _registrations = [];

    public PluginRegistry(string pluginId, NuGetVersion pluginVersion)
    {
        PluginId = pluginId;
        PluginVersion = pluginVersion;
    }

    public string PluginId { get; }

    public NuGetVersion PluginVersion { get; }

    private bool _closed;

    public IReadOnlyList<ComponentRegistration> Registrations => _registrations;

    /// <summary>Ends registration (when <c>Register</c> has returned) and returns what was registered; a later <see cref="Add"/> throws.</summary>
    public IReadOnlyList<ComponentRegistration> Close()
    {
        _closed = true;
        return [.. _registrations];
    }

    public void Add<TComponent, TOptions>(string name, Func<TOptions, ComponentContext, TComponent> factory, string description)
        where TComponent : class, IComponent
        where TOptions : class, new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (_closed)
        {
            throw new InvalidOperationException($"Plugin '{PluginId}' registered '{name}' after Register returned; register every component inside Register.");
        }

        var kind = ComponentKinds.KindOf(typeof(TComponent))
            ?? throw new ArgumentException($"Component '{name}' of plugin '{PluginId}' is registered as {typeof(TComponent).Name}; register it as one of IGenerator, IEvaluator, IDecoder, IDiversifier, IStepScorer.");
        if (_registrations.Any(r => r.Kind == kind && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"Plugin '{PluginId}' registers {kind.Word()} '{name}' twice.");
        }

        _registrations.Add(new ComponentRegistration(PluginId, PluginVersion, kind, name, description ?? "", typeof(TOptions), (o, c) => factory((TOptions)o, c)));
    }
}
