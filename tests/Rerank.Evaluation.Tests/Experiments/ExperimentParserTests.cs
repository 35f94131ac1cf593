using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Configuration;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>Experiment, pipeline and evaluator names are identifiers; dataset paths and includes stay under the allowed folders.</summary>
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

    private ExperimentSpec? Parse(string yaml, PathPolicy? paths = null)
    {
        var file = Path.Combine(Experiments, "e.yaml");
        File.WriteAllText(file, yaml);
        return ExperimentParser.ParseFile(file, _errors, paths ?? new PathPolicy(workingDirectory: Work));
    }
}
