using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;

namespace Rerank.Plugins.Baselines.Tests.Pipelines;

/// <summary>The baseline pipelines of the quickstart, compiled and run by the host's pipeline code on synthetic data.</summary>
public sealed class QuickstartPipelineTests
{
    private static readonly Dictionary<string, string> Stages = new(StringComparer.Ordinal)
    {
        { "initial", "stages:\n  - generate: {use: baselines@^1.0/initial}\n  - truncate:\n" },
        { "random", "stages:\n  - generate: {use: baselines@^1.0/random, count: 1}\n" },
        { "mmr", "stages:\n  - generate: {use: baselines@^1.0/initial}\n  - diversify: {use: baselines@^1.0/mmr, params: {lambda: 0.7, window: 3}}\n" },
        { "dpp", "stages:\n  - generate: {use: baselines@^1.0/initial}\n  - diversify: {use: baselines@^1.0/dpp, params: {theta: 0.7}}\n" },
        {
            "beam-oracle",
            "stages:\n  - generate:\n      scorer: baselines@^1.0/oracle\n      decoder: {use: baselines@^1.0/beam, params: {width: 8}}\n      count: 8\n"
            + "  - evaluate: {use: baselines@^1.0/oracle}\n"
        },
        {
            "sampling-mmr",
            "stages:\n  - generate:\n      scorer: {use: baselines/prior, params: {transform: log}}\n      decoder: {use: baselines/top_k_sampling, params: {k: 4}}\n"
            + "      diversifier: {use: baselines/mmr, params: {lambda: 0.8}}\n      count: 4\n  - evaluate: {use: baselines/oracle}\n"
        },
    };

    public static TheoryData<string> Pipelines => [.. Stages.Keys];

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void Run_BaselinePipeline_OneSlateOfLPerRequest(string name)
    {
        var (batch, run) = Run(name);

        for (var b = 0; b < batch.Count; b++)
        {
            SlateChecks.CheckOne($"{name}, request {b}", run.Slates[b].Indices, batch.CandidateCounts[b], batch.SlateSizes[b], SlateChecks.Length.ExactlyL);
        }
    }

    [Fact]
    public void Run_BeamOverOracle_BeatsInitialAndRandomOnAverage()
    {
        var (batch, beam) = Run("beam-oracle");
        var (_, initial) = Run("initial");
        var (_, random) = Run("random");

        double Mean(PipelineRun run) => Enumerable.Range(0, batch.Count).Average(b => batch.Requests[b].GroundTruth!.Utility(run.Slates[b].Indices));
        Mean(beam).ShouldBeGreaterThan(Mean(initial));
        Mean(beam).ShouldBeGreaterThan(Mean(random));
    }

    private static (RerankBatch Batch, PipelineRun Run) Run(string name)
    {
        var stages = Stages[name];
        var data = new SyntheticData();
        var errors = new List<ConfigError>();
        var spec = PipelineParser.ParseText($"name: {name}\n{stages}", $"{name}.yaml", ".", errors);
        errors.ShouldBeEmpty();
        var factory = new ComponentFactory(PluginCatalog.FromPlugins(new BaselinesPlugin()), data.Schema, 17);
        var pipeline = PipelineCompiler.Compile(spec!, factory, errors);
        errors.ShouldBeEmpty();
        var batch = RerankBatch.Create(data.Schema, data.Requests(16, 21));
        return (batch, pipeline!.Run(batch, new RerankContext(17)));
    }
}
