using Rerank.Abstractions;
using Rerank.Runtime.Randomness;
using Rerank.Simulation;
using Rerank.Simulation.Logging;

namespace Rerank.Simulation.Datasets;

/// <summary>
/// <c>dataset: {type: simulator, params: {…}}</c> generates the embedded simulator's data from the experiment's seed;
/// <c>dataset: {type: simulator, path: DIR}</c> reads a dataset written by <c>rerank simulate</c> instead.
/// </summary>
internal sealed class SimulatorDatasetType : IDatasetType
{
    public string Type => "simulator";

    public string Description => "The embedded simulator's world, list model and sizes (also `rerank simulate --config FILE --set key=value`); see docs/simulator.md.";

    public Type OptionsType => typeof(SimulatorOptions);

    public void Check(object options, DatasetSpec spec, ICollection<ConfigError> errors)
    {
        if (spec.Path is null)
        {
            return;
        }

        if (spec.Params is { Entries.Length: > 0 })
        {
            errors.Add(new ConfigError(spec.Params.Location, "dataset (simulator): give either 'params' (generate) or 'path' (read a dataset written by rerank simulate), not both"));
        }
        else if (!Directory.Exists(spec.Path))
        {
            errors.Add(new ConfigError(spec.Location, $"dataset (simulator): path '{spec.Path}' does not exist; write one with 'rerank simulate --out {spec.Path}'"));
        }
    }

    public ExperimentData Load(object options, string? path, ulong seed, IProgress<double>? progress)
    {
        var dataset = path is null ? Simulator.Generate((SimulatorOptions)options, seed, progress) : DatasetFiles.Read(path);
        var labels = dataset.Test.Select(r => Labels(r, dataset.Seed)).ToList();
        var gains = dataset.Test.Select(r => Array.ConvertAll(((SimulatedListUtility)r.GroundTruth!).Attractiveness.ToArray(), x => (float)x)).ToList();
        return new ExperimentData(dataset.Schema, dataset.ToTrainingData(), dataset.Test, dataset.Describe(), labels, gains, SimulatedImpressions.Test(dataset));
    }

    /// <summary>
    /// Test labels for gAUC, MAP and recall (nDCG uses the exact attractiveness r_j as graded gain instead): candidate j is relevant with probability r_j, its true position-free
    /// attractiveness, drawn once per request from the dataset's seed (so every pipeline is judged on the same labels).
    /// </summary>
    private static float[] Labels(RerankRequest request, ulong seed)
    {
        var truth = (SimulatedListUtility)request.GroundTruth!;
        var random = SeededRandom.For(seed, "test-labels/" + request.RequestId);
        var labels = new float[truth.Count];
        for (var j = 0; j < labels.Length; j++)
        {
            labels[j] = random.Bernoulli(truth.Attractiveness[j]) ? 1f : 0f;
        }

        return labels;
    }
}
