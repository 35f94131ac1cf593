namespace Rerank.Abstractions;

/// <summary>Anything a pipeline references from YAML.</summary>
public interface IComponent
{
    /// <summary>The name the component is registered and referenced under in YAML.</summary>
    string Name { get; }
}
