using System.Globalization;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Simulation.Datasets;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>
/// Tuning on validation, end to end on a small simulator: the choice is the grid point of best validation utility
/// (checked by running every variant here), the row is that variant evaluated like an untuned pipeline, the same seed
/// gives the same choice, trained components are shared across variants that do not vary them, and data without
/// ground truth fails the row with a clear message.
/// </summary>
public sealed class PipelineTunerTests : IDisposable
{
    private const string Data = """
        dataset:
          type: simulator
          params: { candidates: 10, slate_size: 5, train_requests: 60, validation_requests: 150, test_requests: 100 }
        evaluation: { hit_rate_lists: 200, latency_requests: 2, warmup_requests: 1 }

        """;

    private static readonly double[] Lambdas = [0.0, 0.3, 0.6, 0.9, 1.0];
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-tuner-").FullName;
    private readonly PluginCatalog _catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));

    public void Dispose()
    {
        _catalog.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Run_MmrGridWithAKnownBadValue_ChoosesTheBestValidationUtilityComputedIndependently()
    {
        var spec = Parse("name: tuned\nseed: 3\n" + Data + $$"""
            pipelines:
              - name: mmr
                tune: { grid: { diversify.lambda: [{{string.Join(", ", Lambdas.Select(Text))}}] } }
                stages: [ { generate: { use: baselines/initial } }, { diversify: { use: baselines/mmr } } ]
            """);

        var result = Runner().Run(spec, _folder);

        // Each variant run here, outside the tuner: its own pipeline, its own factory, utility from the ground truth.
        var data = Load(spec);
        var validation = data.Training.Validation.Select(l => l.Request).ToList();
        var utilities = Lambdas.Select(l => ValidationUtility(data, validation, l)).ToList();
        var best = utilities.IndexOf(utilities.Max());
        utilities[0].ShouldBeLessThan(utilities[best] - 0.01, "pure dissimilarity (λ = 0) is a known bad value");

        var choice = result.Rows.Single().Tuned.ShouldNotBeNull().Choices.ShouldHaveSingleItem();
        choice.Values.ShouldBe([new KeyValuePair<string, string>("diversify.lambda", Text(Lambdas[best]))]);
        choice.Score.ShouldBe(utilities[best], 1e-12);
        (choice.Seed, choice.Requests).ShouldBe((3UL, 150));
        result.Rows[0].Tuned!.GridPoints.ShouldBe(Lambdas.Length);
        ResultWriters.TuningNote(result.Rows[0]).ShouldBe($"mmr: tuned on 150 validation requests: diversify.lambda = {choice.Values[0].Value} (utility {ResultWriters.FormatMetric(utilities[best])}; grid of 5)");
        result.Graphs["mmr"].ShouldContain($"lambda: {Lambdas[best].ToString(CultureInfo.InvariantCulture)}", Case.Sensitive, "the graph is the chosen variant's");

        // The row is the chosen variant evaluated exactly as an untuned pipeline with that value.
        var fixedSpec = Parse("name: tuned\nseed: 3\n" + Data + $$"""
            pipelines:
              - name: mmr
                stages: [ { generate: { use: baselines/initial } }, { diversify: { use: baselines/mmr, params: { lambda: {{choice.Values[0].Value}} } } } ]
            """);
        var untuned = Runner().Run(fixedSpec, _folder).Rows.Single();
        untuned["utility"].ShouldBe(result.Rows[0]["utility"]);
        untuned["ild"].ShouldBe(result.Rows[0]["ild"]);
    }

    [Fact]
    public void Run_SameSeedTwice_SameChoice_AndSeveralSeedsReportOneChoiceEach()
    {
        const string Pipelines = """
            pipelines:
              - name: dpp
                tune: { grid: { diversify.theta: [0.2, 0.5, 0.8, 0.95] } }
                stages: [ { generate: { use: baselines/initial } }, { diversify: { use: baselines/dpp } } ]
            """;
        var spec = Parse("name: det\nseed: 9\n" + Data + Pipelines);

        var first = Runner().Run(spec, _folder).Rows.Single().Tuned!.Choices.Single();
        var second = Runner().Run(spec, _folder).Rows.Single().Tuned!.Choices.Single();

        second.ShouldBe(first with { Values = second.Values });
        second.Values.ShouldBe(first.Values);

        var seeded = Runner().Run(Parse("name: det\nseeds: [9, 10]\n" + Data + Pipelines), _folder).Rows.Single();
        var choices = seeded.Tuned.ShouldNotBeNull().Choices;
        choices.Select(c => c.Seed).ShouldBe([9UL, 10UL]);
        choices[0].Values.ShouldBe(first.Values, "seed 9 tunes on the same validation data as the single run");
        choices[0].Score.ShouldBe(first.Score);
        ResultWriters.TuningNote(seeded).ShouldBe(
            $"dpp: tuned on 150 validation requests per seed: diversify.theta = {choices[0].Values[0].Value}, {choices[1].Values[0].Value} "
            + $"(utility {ResultWriters.FormatMetric(choices[0].Score)}, {ResultWriters.FormatMetric(choices[1].Score)}; grid of 4)");
    }

    [Fact]
    public void Run_GridOnAnUntrainedStage_VariantsShareTheTrainedScorer_AndAGridOnTheScorerTrainsEach()
    {
        const string Stages = """
                stages:
                  - generate: { scorer: { use: baselines/dnn, params: { epochs: 1, hidden: 8 } }, decoder: baselines/greedy }
                  - diversify: { use: baselines/mmr }
            """;
        var spec = Parse("name: shared\nseed: 4\n" + Data + "pipelines:\n  - name: dnn-mmr\n    tune: { grid: { diversify.lambda: [0.3, 0.6, 0.9] } }\n" + Stages);

        var result = Runner().Run(spec, _folder);

        result.Rows.Single().Status.ShouldBe("ok");
        result.Training.ShouldHaveSingleItem("three variants, one scorer trained");

        var each = Runner().Run(Parse("name: each\nseed: 4\n" + Data + "pipelines:\n  - name: dnn-mmr\n    tune: { grid: { generate.scorer.hidden: [4, 8] } }\n" + Stages), _folder);

        each.Rows.Single().Status.ShouldBe("ok");
        each.Training.Count.ShouldBe(2, "each variant trains its own scorer");
        each.Rows[0].Tuned!.Choices.Single().Values.Single().Key.ShouldBe("generate.scorer.hidden");
    }

    [Fact]
    public void Run_NoValidationRequests_TheRowFailsSayingWhy()
    {
        var spec = Parse("name: none\nseed: 4\n" + Data.Replace("validation_requests: 150", "validation_requests: 0", StringComparison.Ordinal) + """
            pipelines:
              - name: initial
                stages: [ { generate: { use: baselines/initial } } ]
              - name: mmr
                tune: { grid: { diversify.lambda: [0.3, 0.9] } }
                stages: [ { generate: { use: baselines/initial } }, { diversify: { use: baselines/mmr } } ]
            """);

        var result = Runner().Run(spec, _folder);

        result.Rows.Select(r => r.Status).ShouldBe(["ok", "failed"]);
        result.Rows[1].Error.ShouldBe("pipeline 'mmr': tune needs validation requests, and the dataset has none (give it validation requests, or drop 'tune')");
    }

    [Fact]
    public void Search_ValidationWithoutGroundTruth_FailsSayingWhy()
    {
        var spec = Parse("name: truthless\nseed: 4\n" + Data + """
            pipelines:
              - name: mmr
                tune: { grid: { diversify.lambda: [0.3, 0.9] } }
                stages: [ { generate: { use: baselines/initial } }, { diversify: { use: baselines/mmr } } ]
            """);
        var data = Load(spec);
        var pipeline = PipelineTuner.CompileAll(spec, new ComponentFactory(_catalog, data.Schema, spec.Seed)).Single();
        var realData = data.Training.Validation.Select(l => new RerankRequest { RequestId = l.Request.RequestId, Candidates = l.Request.Candidates, SlateSize = l.Request.SlateSize }).ToList();

        var error = Should.Throw<PipelineException>(() => PipelineTuner.Search(pipeline, data.Schema, realData, 16, new RerankContext(1), null));

        error.Message.ShouldBe("pipeline 'mmr': tune maximises the exact expected utility, and this dataset's validation requests carry no ground truth (only simulator data does); drop 'tune' and set the params by hand");
    }

    private static ExperimentData Load(ExperimentSpec spec)
    {
        var errors = new List<ConfigError>();
        var dataset = DatasetTypes.Bind(spec.Dataset, errors).ShouldNotBeNull();
        return dataset.Type.Load(dataset.Options, spec.Dataset.Path, spec.Seed, null);
    }

    /// <summary>Mean exact expected utility over <paramref name="validation"/> of initial → mmr(λ), compiled and run here.</summary>
    private double ValidationUtility(ExperimentData data, IReadOnlyList<RerankRequest> validation, double lambda)
    {
        var errors = new List<ConfigError>();
        var yaml = $"name: mmr\nstages:\n  - generate: {{ use: baselines/initial }}\n  - diversify: {{ use: baselines/mmr, params: {{ lambda: {Text(lambda)} }} }}\n";
        var spec = PipelineParser.ParseText(yaml, "variant.yaml", _folder, errors).ShouldNotBeNull();
        var pipeline = PipelineCompiler.Compile(spec, new ComponentFactory(_catalog, data.Schema, 1), errors).ShouldNotBeNull();
        errors.ShouldBeEmpty();
        var slates = pipeline.Run(RerankBatch.Create(data.Schema, [.. validation]), new RerankContext(1)).Slates;
        return validation.Select((r, i) => r.GroundTruth!.Utility(slates[i].Indices)).Average();
    }

    private static string Text(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private ExperimentRunner Runner() => new(_catalog, SilentReporter.Instance);

    private ExperimentSpec Parse(string yaml)
    {
        var path = Path.Combine(_folder, "e.yaml");
        File.WriteAllText(path, yaml);
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(path, errors);
        errors.ShouldBeEmpty(string.Join("\n", errors));
        return spec.ShouldNotBeNull();
    }
}
