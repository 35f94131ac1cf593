using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

public sealed class ConfigValidatorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-validate-").FullName;
    private readonly PluginCatalog _catalog = PluginCatalog.FromPlugins(new FakePlugin());

    public void Dispose()
    {
        _catalog.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void ValidateFile_ValidPipeline_HasNoErrors()
    {
        var errors = new List<ConfigError>();
        var summary = ConfigValidator.ValidateFile(Write("p.yaml", "name: p\nstages:\n  - generate: { use: fake/order, params: { reverse: true } }\n  - truncate: {}\n"), _catalog, errors);
        errors.ShouldBeEmpty();
        summary.ShouldContain("pipeline 'p' (2 stages)");
    }

    [Fact]
    public void ValidateFile_IllTypedAndInvalidParams_ReportsEachWithLocation()
    {
        var errors = new List<ConfigError>();
        ConfigValidator.ValidateFile(Write("p.yaml", "name: p\nstages:\n  - generate:\n      use: fake/order\n      params: { reverse: maybe }\n"), _catalog, errors);
        errors.Count.ShouldBe(1);
        errors[0].Message.ShouldContain("params.reverse: 'maybe' is not a boolean");
        errors[0].Location.Line.ShouldBe(5);
        errors[0].Location.Column.ShouldBeGreaterThan(1);
    }

    [Fact]
    public void ValidateFile_OptionsValidationFails_NamesTheKey()
    {
        var errors = new List<ConfigError>();
        ConfigValidator.ValidateFile(Write("p.yaml", "name: p\nstages:\n  - generate: { use: fake/order, params: { offset: -1 } }\n"), _catalog, errors);
        errors.ShouldHaveSingleItem().Message.ShouldContain("offset must be 0 or more, got -1");
    }

    [Fact]
    public void ValidateFile_ExperimentWithUnknownDatasetTypeAndBadPipeline_ReportsBoth()
    {
        var errors = new List<ConfigError>();
        ConfigValidator.ValidateFile(Write("e.yaml", """
            name: e
            dataset: { type: tabloid }
            pipelines:
              - name: a
                stages: [ { generate: { use: fake/nope } } ]
              - name: a
                stages: [ { generate: { use: fake/order } } ]
            """), _catalog, errors);
        errors.Select(e => e.Message).ShouldContain(m => m.Contains("unknown type 'tabloid'", StringComparison.Ordinal));
        errors.Select(e => e.Message).ShouldContain(m => m.Contains("has no generator 'nope'", StringComparison.Ordinal));
        errors.Select(e => e.Message).ShouldContain(m => m.Contains("pipeline name 'a' is used 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateFile_IncludedPipelineFile_IsResolvedRelativeToTheExperiment()
    {
        Write("inc.yaml", "name: included\nstages:\n  - generate: { use: fake/order }\n");
        var errors = new List<ConfigError>();
        var summary = ConfigValidator.ValidateFile(Write("e.yaml", "name: e\ndataset: { type: simulator }\npipelines:\n  - file: inc.yaml\n  - { file: inc.yaml, name: renamed }\n"), _catalog, errors);
        errors.ShouldBeEmpty();
        summary.ShouldContain("included, renamed");
    }

    [Fact]
    public void ValidateFile_ComponentWhoseConstructorThrows_ErrorAtTheComponentWithTypeAndMessage()
    {
        using var fixtures = new PluginLoader().LoadFolder(FixturePlugins.Folder);
        var errors = new List<ConfigError>();

        ConfigValidator.ValidateFile(Write("p.yaml", "name: p\nstages:\n  - generate: { use: throwing-component@1.0/generator }\n"), fixtures, errors);

        var error = errors.ShouldHaveSingleItem();
        error.Message.ShouldBe("'throwing-component@1.0/generator' could not be created: InvalidOperationException: fixture failure: the generator's vocabulary file is missing");
        (error.Location.Line, error.Location.Column).ShouldBe((3, 22));
    }

    [Fact]
    public void ValidateFile_ExperimentWithOneThrowingPipeline_ErrorAtThatComponentOnly()
    {
        using var fixtures = new PluginLoader().LoadFolder(FixturePlugins.Folder);
        var errors = new List<ConfigError>();

        ConfigValidator.ValidateFile(Write("e.yaml", """
            name: e
            dataset: { type: simulator }
            pipelines:
              - name: good
                stages: [ { generate: { use: greeter@1/greet } } ]
              - name: bad
                stages: [ { generate: { use: throwing-component/generator } } ]
            """), fixtures, errors);

        errors.ShouldHaveSingleItem().ToString().ShouldEndWith("e.yaml:7:34: 'throwing-component/generator' could not be created: InvalidOperationException: fixture failure: the generator's vocabulary file is missing");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
