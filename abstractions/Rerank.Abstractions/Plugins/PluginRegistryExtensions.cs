namespace Rerank.Abstractions;

/// <summary>Typed shortcuts for <see cref="IPluginRegistry.Add"/>.</summary>
public static class PluginRegistryExtensions
{
    /// <summary>Registers a generator.</summary>
    public static IPluginRegistry AddGenerator<TOptions>(this IPluginRegistry registry, string name, Func<TOptions, ComponentContext, IGenerator> factory, string description)
        where TOptions : class, new() => Add(registry, name, factory, description);

    /// <summary>Registers an evaluator.</summary>
    public static IPluginRegistry AddEvaluator<TOptions>(this IPluginRegistry registry, string name, Func<TOptions, ComponentContext, IEvaluator> factory, string description)
        where TOptions : class, new() => Add(registry, name, factory, description);

    /// <summary>Registers a decoder.</summary>
    public static IPluginRegistry AddDecoder<TOptions>(this IPluginRegistry registry, string name, Func<TOptions, ComponentContext, IDecoder> factory, string description)
        where TOptions : class, new() => Add(registry, name, factory, description);

    /// <summary>Registers a diversifier.</summary>
    public static IPluginRegistry AddDiversifier<TOptions>(this IPluginRegistry registry, string name, Func<TOptions, ComponentContext, IDiversifier> factory, string description)
        where TOptions : class, new() => Add(registry, name, factory, description);

    /// <summary>Registers a step scorer.</summary>
    public static IPluginRegistry AddScorer<TOptions>(this IPluginRegistry registry, string name, Func<TOptions, ComponentContext, IStepScorer> factory, string description)
        where TOptions : class, new() => Add(registry, name, factory, description);

    private static IPluginRegistry Add<TComponent, TOptions>(IPluginRegistry registry, string name, Func<TOptions, ComponentContext, TComponent> factory, string description)
        where TComponent : class, IComponent
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Add(name, factory, description);
        return registry;
    }
}
