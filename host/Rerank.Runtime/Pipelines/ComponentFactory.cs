using System.Collections.Concurrent;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Plugins;

namespace Rerank.Runtime.Pipelines;

/// <summary>A component built for a pipeline, with what it was built from.</summary>
/// <param name="Registration">The plugin registration.</param>
/// <param name="Spec">The YAML spec.</param>
/// <param name="Instance">The component.</param>
/// <param name="ParamsYaml">Its options as YAML (every option, defaults included).</param>
/// <param name="IdentityYaml">The options that make it what it is: <paramref name="ParamsYaml"/> without the execution settings (<see cref="ExecutionSettingAttribute"/>).</param>
/// <param name="Seed">The seed it was given.</param>
public sealed record BuiltComponent(ComponentRegistration Registration, ComponentSpec Spec, IComponent Instance, string ParamsYaml, string IdentityYaml, ulong Seed)
{
    /// <summary>A stable key of what the component is: registration, options but its execution settings, checkpoint.</summary>
    public string Key => $"{Registration.PluginId}@{Registration.PluginVersion}/{Registration.Name}\n{IdentityYaml}\n{Spec.Checkpoint}";

    /// <summary>
    /// The file a trained checkpoint gets when the spec names none (<c>rerank run</c> saves it under
    /// <c>&lt;out&gt;/checkpoints/</c>): <c>plugin-version-name-hash.safetensors</c>, the hash telling apart one component
    /// built with different params.
    /// </summary>
    public string CheckpointFileName =>
        $"{Registration.PluginId}-{Registration.PluginVersion.ToNormalizedString()}-{Registration.Name}-{StableHash.Of(Key) & 0xFFFFFFFF:x8}.safetensors";
}

/// <summary>
/// Builds components from specs: resolves the reference, binds and validates params (every error collected), and
/// shares one instance per (plugin, version, name, options, checkpoint) across pipelines and kinds, so a model used
/// as evaluator in one pipeline and as scorer in another is trained once.
/// </summary>
public sealed class ComponentFactory : IComponentResolver
{
    private readonly ConcurrentDictionary<string, BuiltComponent> _built = new(StringComparer.Ordinal);
    private readonly List<BuiltComponent> _order = [];

    /// <summary>A factory resolving references in <paramref name="catalog"/>, building for <paramref name="schema"/> (null: none known yet) and deriving each component's seed from <paramref name="seed"/>.</summary>
    public ComponentFactory(PluginCatalog catalog, FeatureSchema? schema, ulong seed)
    {
        Catalog = catalog;
        Schema = schema;
        Seed = seed;
    }

    /// <summary>The plugins references resolve in.</summary>
    public PluginCatalog Catalog { get; }

    /// <summary>The feature schema components are built for (null when unknown).</summary>
    public FeatureSchema? Schema { get; }

    /// <summary>The seed every component's seed derives from.</summary>
    public ulong Seed { get; }

    /// <summary>Where the one-line "device: cuda requested, running on the CPU" notice goes (stderr by default).</summary>
    public TextWriter DeviceLog { get; init; } = Console.Error;

    /// <summary>Every distinct component built so far, in build order.</summary>
    public IReadOnlyList<BuiltComponent> Built
    {
        get
        {
            lock (_order)
            {
                return [.. _order];
            }
        }
    }

    /// <summary>Resolves the reference and binds the params without building anything (for <c>rerank validate</c>).</summary>
    public (ComponentRegistration Registration, object Options)? Check(ComponentKind kind, ComponentSpec spec, ICollection<ConfigError> errors)
    {
        var reference = ComponentReference.Parse(spec.Reference, spec.Location, errors);
        if (reference is null)
        {
            return null;
        }

        var registration = Catalog.Resolve(kind, reference, spec.Location, errors);
        if (registration is null)
        {
            return null;
        }

        var paramErrors = new List<ConfigError>();
        var options = registration.BindOptions(spec.Params, paramErrors);
        foreach (var e in paramErrors)
        {
            errors.Add(e with { Message = $"{kind.Word()} '{registration.Reference}': {e.Message}" });
        }

        return options is null ? null : (registration, options);
    }

    /// <summary>
    /// Builds (or reuses) the component a spec names, as <paramref name="kind"/>; null with errors added when it cannot.
    /// A plugin factory (constructor) that throws is an error at the component's location:
    /// <c>'plugin@range/name' could not be created: ExceptionType: message</c>. Nothing is trained or loaded.
    /// </summary>
    public BuiltComponent? Build(ComponentKind kind, ComponentSpec spec, ICollection<ConfigError> errors)
    {
        if (Check(kind, spec, errors) is not { } found)
        {
            return null;
        }

        var (registration, options) = found;

        var paramsYaml = YamlParams.ToYaml(OptionsBinder.ToParams(options));
        var identityYaml = YamlParams.ToYaml(OptionsBinder.ToParams(options, identityOnly: true));
        var device = ComponentDevices.Resolve(spec, DeviceLog);
        var identity = $"{registration.PluginId}@{registration.PluginVersion}/{registration.Name}\n{paramsYaml}\n{spec.Checkpoint}";
        var key = identity + (device == "cpu" ? string.Empty : $"\n{device}"); // one instance per device and execution settings; the same seed (and weights) on all
        if (_built.TryGetValue(key, out var existing) && ComponentKinds.ContractOf(kind).IsInstanceOfType(existing.Instance))
        {
            return existing;
        }

        // The seed depends on what the component is, never on where its checkpoint lives (an absolute path differs
        // between clones), which device it runs on or how (execution settings): the same experiment gives the same
        // weights anywhere.
        var seed = StableHash.Mix(Seed, StableHash.Of($"{registration.PluginId}@{registration.PluginVersion}/{registration.Name}\n{identityYaml}\n"));
        var context = new ComponentContext(registration.PluginId, registration.PluginVersion.ToNormalizedString(), registration.Name, Schema, seed, this) { Device = device };
        IComponent instance;
        try
        {
            instance = registration.Create(options, context);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A nested reference's errors (ConfigException) already say what and where; anything else is the plugin's own.
            var cause = e is ConfigException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            errors.Add(new ConfigError(spec.Location, $"'{spec.Reference}' could not be created: {cause}".ReplaceLineEndings(" ")));
            return null;
        }

        var result = new BuiltComponent(registration, spec, instance, paramsYaml, identityYaml, seed);
        if (_built.TryAdd(key, result))
        {
            lock (_order)
            {
                _order.Add(result);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public TComponent Resolve<TComponent>(string reference)
        where TComponent : class, IComponent => Resolve<TComponent>(reference, null);

    /// <inheritdoc />
    public TComponent Resolve<TComponent>(string reference, ParamMapping? parameters)
        where TComponent : class, IComponent
    {
        var kind = ComponentKinds.KindOf(typeof(TComponent))
            ?? throw new ArgumentException($"{typeof(TComponent).Name} is not a component contract.");
        var errors = new List<ConfigError>();
        var spec = new ComponentSpec(reference, parameters, null, new SourceLocation($"<reference '{reference}'>", 0, 0));
        var component = Build(kind, spec, errors);
        return component is null ? throw new ConfigException(errors) : (TComponent)component.Instance;
    }
}
