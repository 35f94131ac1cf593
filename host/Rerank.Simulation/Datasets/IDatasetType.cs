using Rerank.Abstractions;

namespace Rerank.Simulation.Datasets;

/// <summary>A kind of dataset an experiment's <c>dataset: {type: …}</c> block can name.</summary>
public interface IDatasetType
{
    /// <summary>The YAML word (<c>simulator</c>, …).</summary>
    string Type { get; }

    /// <summary>One line for <c>docs/params.md</c>: what the params shape.</summary>
    string Description { get; }

    /// <summary>The options type its <c>params:</c> bind to (unknown keys are errors).</summary>
    Type OptionsType { get; }

    /// <summary>Checks the bound options against the rest of the block (e.g. <c>path:</c>); adds errors naming the key.</summary>
    void Check(object options, DatasetSpec spec, ICollection<ConfigError> errors);

    /// <summary>Builds or reads the data.</summary>
    ExperimentData Load(object options, string? path, ulong seed, IProgress<double>? progress);
}
