namespace Rerank.Abstractions;

/// <summary>
/// Marks an options property whose own settings are written at the parent's level in YAML: with
/// <c>[InlineParams] public TrainingOptions Training { get; set; }</c>, <c>params: { epochs: 3 }</c> binds
/// <c>Training.Epochs</c>. This is how options types compose shared records (the training settings every trainable
/// component has) without changing their YAML. The inline keys take the property's place among the parent's keys, in
/// <paramref name="order"/> when given (their snake_case keys), else in declaration order; that order is part of a
/// component's params text, which seeds the component.
/// </summary>
/// <param name="order">The keys of the inline settings in the order they are written (every key, or none for declaration order).</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class InlineParamsAttribute(params string[] order) : Attribute
{
    /// <summary>The keys in the order they are written; empty for declaration order.</summary>
    public IReadOnlyList<string> Order { get; } = order;
}
