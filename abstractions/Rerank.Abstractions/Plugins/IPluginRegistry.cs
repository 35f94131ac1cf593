namespace Rerank.Abstractions;

/// <summary>Where a plugin registers its components, each under a unique name and with an options type bound from YAML <c>params:</c>.</summary>
public interface IPluginRegistry
{
    /// <summary>
    /// Registers a component. <typeparamref name="TComponent"/> is one of the contract interfaces (<see cref="IGenerator"/>,
    /// <see cref="IEvaluator"/>, <see cref="IDecoder"/>, <see cref="IDiversifier"/>, <see cref="IStepScorer"/>); the
    /// same name may be registered once per kind.
    /// </summary>
    /// <param name="name">Name referenced from YAML (case-insensitive, unique per kind within the plugin).</param>
    /// <param name="factory">Builds the component from its bound, validated options.</param>
    /// <param name="description">One line for <c>rerank plugins list</c>.</param>
    void Add<TComponent, TOptions>(string name, Func<TOptions, ComponentContext, TComponent> factory, string description)
        where TComponent : class, IComponent
        where TOptions : class, new();
}
