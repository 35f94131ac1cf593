using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.SortGen.Tests;

/// <summary>Small shared fixtures: synthetic data, a briefly trained SORT checkpoint (trained once per test run).</summary>
internal static class Trained
{
    public const string ModelYaml = "max_length: 5\nembedding_dim: 8\nposition_dim: 4\nmodel_dim: 16\nheads: 2\nfeed_forward: 32\nhead_hidden: 16\nepochs: 3\nbatch_size: 32";

    private static readonly Lazy<string> Checkpoint = new(() =>
    {
        var evaluator = Build<IEvaluator>("sort", ModelYaml);
        ((ITrainable)evaluator).Train(Data.Training(160, 7), new TrainingContext(7));
        var path = Path.Combine(Path.GetTempPath(), $"sortgen-tests-{Environment.ProcessId}.safetensors");
        ((ITrainable)evaluator).Save(path);
        return path;
    });

    public static SyntheticData Data => LazyData.Value;

    private static readonly Lazy<SyntheticData> LazyData = new(() => new SyntheticData());

    public static RerankContext Context { get; } = new(5);

    /// <summary>The path of the shared checkpoint (trained with <see cref="ModelYaml"/>).</summary>
    public static string CheckpointPath => Checkpoint.Value;

    public static RerankBatch Batch(int count = 8, ulong seed = 3) => RerankBatch.Create(Data.Schema, Data.Requests(count, seed));

    public static TComponent Build<TComponent>(string name, string paramsYaml = "")
        where TComponent : class, IComponent =>
        ComponentBuilder.Build<TComponent>(new SortGenPlugin(), name, paramsYaml, Data.Schema, 1);

    /// <summary>A component built from <paramref name="paramsYaml"/> (model params appended) and loaded from the shared checkpoint.</summary>
    public static TComponent Loaded<TComponent>(string name, string paramsYaml = "")
        where TComponent : class, IComponent
    {
        var component = Build<TComponent>(name, ModelYaml + (paramsYaml.Length > 0 ? "\n" + paramsYaml : ""));
        ((ITrainable)component).Load(CheckpointPath);
        return component;
    }
}
