namespace Rerank.Abstractions;

/// <summary>
/// Marks an options property that is a preset: its setter sets a group of other properties (a named regime, say). The
/// binder binds it before every other key, wherever it stands in the YAML, so keys given next to it override what the
/// preset set: <c>params: { satiation_strength: 2, preset: rich }</c> is <c>rich</c> with η = 2. Declare it before the
/// properties it sets, so that reading options back in declaration order (e.g. from a file header) gives the same values.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class PresetAttribute : Attribute;
