using Rerank.Abstractions;

namespace Rerank.Simulation.Datasets;

/// <summary>The dataset types the host knows, looked up by their YAML word.</summary>
public static class DatasetTypes
{
    /// <summary>Every dataset type, by name.</summary>
    public static IReadOnlyList<IDatasetType> All { get; } = [new SimulatorDatasetType(), new MovieLensDatasetType(), new LogsDatasetType()];

    /// <summary>Resolves the type and binds the params of a <c>dataset:</c> block; null with errors added when it cannot.</summary>
    public static (IDatasetType Type, object Options)? Bind(DatasetSpec spec, ICollection<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var type = All.FirstOrDefault(t => string.Equals(t.Type, spec.Type, StringComparison.OrdinalIgnoreCase));
        if (type is null)
        {
            errors.Add(new ConfigError(spec.Location, $"dataset: unknown type '{spec.Type}'; known types: {string.Join(", ", All.Select(t => t.Type))}"));
            return null;
        }

        var before = errors.Count;
        var bound = new List<ConfigError>();
        var options = OptionsBinder.Bind(type.OptionsType, spec.Params, bound);
        foreach (var e in bound)
        {
            errors.Add(e with { Message = $"dataset ({type.Type}): {e.Message}" });
        }

        if (errors.Count == before)
        {
            type.Check(options, spec, errors);
        }

        return errors.Count == before ? (type, options) : null;
    }
}
