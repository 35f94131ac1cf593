using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;

namespace Rerank.Conformance;

/// <summary>Builds a plugin's component the way the host does: catalog lookup, params bound from YAML text, validation, factory.</summary>
public static class ComponentBuilder
{
    /// <summary>
    /// Builds component <paramref name="name"/> of <paramref name="plugin"/> as <typeparamref name="TComponent"/> from the
    /// YAML text of its <c>params:</c>; every binding or build error becomes one <see cref="InvalidOperationException"/>.
    /// </summary>
    public static TComponent Build<TComponent>(IRerankPlugin plugin, string name, string paramsYaml, FeatureSchema? schema, ulong seed)
        where TComponent : class, IComponent
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var kind = KindOf<TComponent>();
        var catalog = PluginCatalog.FromPlugins(plugin);
        var factory = new ComponentFactory(catalog, schema, seed);
        var errors = new List<ConfigError>();
        var spec = new ComponentSpec($"{plugin.Id}/{name}", YamlParams.Parse(paramsYaml, "<params>"), null, new SourceLocation("<conformance>", 1, 1));
        var built = factory.Build(kind, spec, errors);
        return built is null
            ? throw new InvalidOperationException($"{kind.Word()} '{plugin.Id}/{name}' could not be built: {string.Join("; ", errors)}")
            : (TComponent)built.Instance;
    }

    /// <summary>The options <paramref name="paramsYaml"/> binds to, written back as YAML with every option (the host's canonical form).</summary>
    public static string CanonicalParams<TComponent>(IRerankPlugin plugin, string name, string paramsYaml)
        where TComponent : class, IComponent => YamlParams.ToYaml(OptionsBinder.ToParams(Options<TComponent>(plugin, name, paramsYaml)));

    /// <summary>The bound and validated options object of a component.</summary>
    public static object Options<TComponent>(IRerankPlugin plugin, string name, string paramsYaml)
        where TComponent : class, IComponent
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var kind = KindOf<TComponent>();
        var registration = PluginCatalog.FromPlugins(plugin).Plugins.Single().Components
            .SingleOrDefault(c => c.Kind == kind && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"plugin '{plugin.Id}' registers no {kind.Word()} '{name}'");
        var errors = new List<ConfigError>();
        return registration.BindOptions(YamlParams.Parse(paramsYaml, "<params>"), errors)
            ?? throw new InvalidOperationException($"params of {kind.Word()} '{plugin.Id}/{name}' do not bind: {string.Join("; ", errors)}");
    }

    /// <summary>The names of every component of <paramref name="kind"/> that <paramref name="plugin"/> registers.</summary>
    public static IReadOnlyList<string> Names(IRerankPlugin plugin, ComponentKind kind) =>
        [.. PluginCatalog.FromPlugins(plugin).Plugins.Single().Components.Where(c => c.Kind == kind).Select(c => c.Name)];

    private static ComponentKind KindOf<TComponent>() =>
        ComponentKinds.KindOf(typeof(TComponent)) ?? throw new ArgumentException($"{typeof(TComponent).Name} is not a component contract");
}
