using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Configuration;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>
/// Experiment, pipeline and evaluator names are identifiers; dataset paths and includes stay under the allowed folders;
/// <c>seeds:</c> is a non-empty list of distinct seeds instead of <c>seed:</c>; <c>compare_to</c> names a pipeline or lists distinct ones.
/// </summary>
public sealed class ExperimentParserTests : IDisposable
{
    private const string Rule = "is not an identifier: use letters, digits and . _ + - (at most 64, starting with a letter or digit)";
    private const string Pipelines = "pipelines:\n  - name: initial\n    stages: [ { generate: { use: baselines/initial } } ]\n";
    private readonly string _root = Directory.CreateTempSubdirectory("rerank-experiment-").FullName;
    private readonly List<ConfigError> _errors = [];

    public ExperimentParserTests() => Directory.CreateDirectory(Experiments);

    private string Work => Path.Combine(_root, "work");

    private string Experiments => Path.Combine(Work, "experiments");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ParseFile_NameEscapingTheOutputFolder_RefusedAsNotAnIdentifier()
    {
        var spec = Parse("name: ../../../../tmp/escaped-exp\ndataset: { type: simulator }\n" + Pipelines);

        spec.ShouldBeNull();
        _errors.ShouldHaveSingleItem().ToString().ShouldEndWith($"e.yaml:1:7: experiment: name '../../../../tmp/escaped-exp' {Rule}");
    }

    [Fact]
    public void ParseFile_PipelineAndEvaluatorNamesWithSlashOrSpace_EachRefused()
    {
        File.WriteAllText(Path.Combine(Experiments, "p.yaml"), "name: p\nstages: [ { generate: { use: baselines/initial } } ]\n");

        Parse("""
            name: e
            dataset: { type: simulator }
            evaluators:
              - { name: 'w/o hard label', use: baselines/oracle }
            pipelines:
              - name: exposure only
                stages: [ { generate: { use: baselines/initial } } ]
              - file: p.yaml
                name: a/b
            """);

        _errors.Select(e => e.Message).ShouldBe(
        [
            $"pipeline: name 'exposure only' {Rule}",
            $"pipeline: name 'a/b' {Rule}",
            $"evaluator: name 'w/o hard label' {Rule}",
        ]);
    }

    [Fact]
    public void ParseFile_DatasetPathOutside_RefusedWithTheExperimentsFolderHint()
    {
        Parse("name: e\ndataset: { type: movielens, path: ../../../../data/ml-100k }\n" + Pipelines);

        _errors.ShouldHaveSingleItem().Message.ShouldBe(
            "dataset path '../../../../data/ml-100k' resolves outside the allowed folders (experiments/, ./); keep it under the experiment's folder or allow its folder with --allow-path");
    }

    [Fact]
    public void ParseFile_DatasetPathOutside_AcceptedWhenAllowed()
    {
        var data = Path.Combine(_root, "data");

        var spec = Parse($"name: e\ndataset: {{ type: simulator, path: {data} }}\n" + Pipelines, new PathPolicy([data], Work));

        _errors.ShouldBeEmpty();
        spec!.Dataset.Path.ShouldBe(data);
    }

    [Fact]
    public void ParseFile_IncludeOutside_RefusedWithoutReadingIt()
    {
        var outside = Path.Combine(_root, "other.yaml");
        File.WriteAllText(outside, "name: CONTENT-TOKEN-1234\nstages: [ { generate: { use: baselines/initial } } ]\n");

        Parse($"name: e\ndataset: {{ type: simulator }}\npipelines:\n  - file: {outside}\n");

        var error = _errors.ShouldHaveSingleItem();
        error.Message.ShouldStartWith($"pipeline file '{outside}' resolves outside the allowed folders");
        error.Message.ShouldNotContain("CONTENT-TOKEN");
    }

    [Fact]
    public void ParseFile_IncludedPipelinesCheckpoint_CheckedAgainstItsOwnFolder()
    {
        Directory.CreateDirectory(Path.Combine(Work, "pipelines"));
        File.WriteAllText(Path.Combine(Work, "pipelines", "p.yaml"), "name: p\nstages: [ { generate: { use: baselines/initial, checkpoint: ../../../x } } ]\n");

        Parse("name: e\ndataset: { type: simulator }\npipelines:\n  - file: ../pipelines/p.yaml\n");

        var error = _errors.ShouldHaveSingleItem();
        error.Location.File.ShouldEndWith("p.yaml");
        error.Message.ShouldBe("checkpoint '../../../x' resolves outside the allowed folders (pipelines/, ./); keep it under the pipeline's folder or allow its folder with --allow-path");
    }

    [Fact]
    public void ParseFile_Seeds_RunSeedsInOrderAndSeedIsTheFirst()
    {
        var spec = Parse("name: e\nseeds: [3, 1, 2]\ndataset: { type: simulator }\n" + Pipelines).ShouldNotBeNull();

        _errors.ShouldBeEmpty();
        spec.RunSeeds.ShouldBe([3UL, 1UL, 2UL]);
        spec.Seed.ShouldBe(3UL);
    }

    [Fact]
    public void ParseFile_OneSeed_RunSeedsIsIt()
    {
        Parse("name: e\nseed: 8\ndataset: { type: simulator }\n" + Pipelines).ShouldNotBeNull().RunSeeds.ShouldBe([8UL]);
    }

    [Theory]
    [InlineData("seed: 1\nseeds: [1, 2]", "e.yaml:3:8: experiment: give either 'seed' (one run) or 'seeds' (a run per seed), not both")]
    [InlineData("seeds: []", "e.yaml:2:8: experiment: 'seeds' must be a non-empty list of non-negative integers, e.g. seeds: [1, 2, 3]")]
    [InlineData("seeds: 4", "e.yaml:2:8: experiment: 'seeds' must be a non-empty list of non-negative integers, e.g. seeds: [1, 2, 3]")]
    [InlineData("seeds: [1, 2, 1]", "e.yaml:2:15: experiment: seed 1 is listed twice in 'seeds'; seeds must be distinct")]
    [InlineData("seeds: [1, -2]", "e.yaml:2:12: experiment: each of 'seeds' must be a non-negative integer, got '-2'")]
    public void ParseFile_BadSeeds_ErrorAtItsLineAndColumn(string seeds, string expected)
    {
        Parse($"name: e\n{seeds}\ndataset: {{ type: simulator }}\n" + Pipelines);

        _errors.ShouldHaveSingleItem().ToString().ShouldEndWith(expected);
    }

    [Fact]
    public void ParseFile_CompareToUnknown_ErrorNamingItAndListingPipelines()
    {
        Parse("name: e\ndataset: { type: simulator }\nevaluation:\n  compare_to: nope\n" + Pipelines
            + "  - name: other\n    stages: [ { generate: { use: baselines/random } } ]\n");

        _errors.ShouldHaveSingleItem().ToString().ShouldEndWith("e.yaml:4:15: evaluation: compare_to 'nope' is not a pipeline of this experiment; pipelines: initial, other");
    }

    [Fact]
    public void ParseFile_CompareToAPipeline_Accepted()
    {
        var spec = Parse("name: e\ndataset: { type: simulator }\nevaluation: { compare_to: initial, bootstrap_samples: 200 }\n" + Pipelines);

        _errors.ShouldBeEmpty();
        spec.ShouldNotBeNull().Evaluation.CompareTo.ShouldBe(["initial"]);
        spec.Evaluation.BootstrapSamples.ShouldBe(200);
    }

    [Fact]
    public void ParseFile_CompareToAList_EveryReferenceInOrder()
    {
        var spec = Parse("name: e\ndataset: { type: simulator }\nevaluation:\n  compare_to: [other, initial]\n" + Pipelines + Other);

        _errors.ShouldBeEmpty();
        spec.ShouldNotBeNull().Evaluation.CompareTo.ShouldBe(["other", "initial"]);
    }

    [Fact]
    public void ParseFile_CompareToListWithBadAndRepeatedNames_AnErrorAtEachWithItsLocation()
    {
        Parse("name: e\ndataset: { type: simulator }\nevaluation:\n  compare_to: [initial, nope, other, initial, nada]\n" + Pipelines + Other);

        _errors.Select(e => e.ToString()[e.ToString().IndexOf("e.yaml:", StringComparison.Ordinal)..]).ShouldBe(
        [
            "e.yaml:4:25: evaluation: compare_to 'nope' is not a pipeline of this experiment; pipelines: initial, other",
            "e.yaml:4:38: evaluation: compare_to lists 'initial' twice; each reference must be named once",
            "e.yaml:4:47: evaluation: compare_to 'nada' is not a pipeline of this experiment; pipelines: initial, other",
        ]);
    }

    [Theory]
    [InlineData("compare_to: []", "e.yaml:4:15: evaluation: compare_to must name a pipeline or list at least one, e.g. compare_to: [dpp, seq2slate]")]
    [InlineData("compare_to: { a: b }", "e.yaml:4:15: evaluation.compare_to: expected a sequence of a string")]
    public void ParseFile_CompareToEmptyOrAMapping_Error(string line, string expected)
    {
        Parse($"name: e\ndataset: {{ type: simulator }}\nevaluation:\n  {line}\n" + Pipelines);

        _errors.ShouldHaveSingleItem().ToString().ShouldEndWith(expected);
    }

    [Fact]
    public void ParseFile_CompareToWithoutAValue_Unset()
    {
        var spec = Parse("name: e\ndataset: { type: simulator }\nevaluation:\n  compare_to:\n" + Pipelines);

        _errors.ShouldBeEmpty();
        spec.ShouldNotBeNull().Evaluation.CompareTo.ShouldBeEmpty();
    }

    private const string Other = "  - name: other\n    stages: [ { generate: { use: baselines/random } } ]\n";

    private ExperimentSpec? Parse(string yaml, PathPolicy? paths = null)
    {
        var file = Path.Combine(Experiments, "e.yaml");
        File.WriteAllText(file, yaml);
        return ExperimentParser.ParseFile(file, _errors, paths ?? new PathPolicy(workingDirectory: Work));
    }
}
