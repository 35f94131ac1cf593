using Rerank.Abstractions;
using Rerank.Simulation;

namespace Rerank.Simulation.Tests;

/// <summary>Simulator params as YAML would give them, and a key-by-key comparison of bound options.</summary>
internal static class SimulatorParams
{
    /// <summary>A params mapping of <c>key: value</c> scalars, in order.</summary>
    public static ParamMapping Of(params (string Key, string Value)[] entries) =>
        new([.. entries.Select(e => new ParamEntry(e.Key, SourceLocation.None, new ParamScalar(e.Value, SourceLocation.None)))], SourceLocation.None);

    /// <summary>Every bindable property of <paramref name="actual"/> equals <paramref name="expected"/>'s (the failure names it).</summary>
    public static void ShouldEqualKeyByKey(this SimulatorOptions actual, SimulatorOptions expected)
    {
        foreach (var property in OptionsBinder.Bindable(typeof(SimulatorOptions)))
        {
            property.GetValue(actual).ShouldBe(property.GetValue(expected), property.Name);
        }
    }
}
