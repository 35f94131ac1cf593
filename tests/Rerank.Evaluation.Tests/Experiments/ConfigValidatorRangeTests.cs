using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>Issue #16, "runaway sizes": <c>count: 2147483647</c> validated and grew to 4 GB; every number now has a range.</summary>
public sealed class ConfigValidatorRangeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-ranges-").FullName;
    private readonly PluginCatalog _catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));

    public void Dispose()
    {
        _catalog.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void ValidateFile_RunawayGenerateCount_IsAnErrorNamingCountItsRangeAndLocation()
    {
        var errors = Validate("p.yaml", "name: p\nstages:\n  - generate:\n      use: baselines@^1.0/random\n      count: 2147483647\n");

        var error = errors.ShouldHaveSingleItem();
        error.Message.ShouldBe("pipeline 'p', generate: 'count' must be in [1, 1024], got 2147483647");
        (error.Location.Line, error.Location.Column).ShouldBe((5, 14));
    }

    [Fact]
    public void ValidateFile_CountBeyondInt_IsTheSameRangeError() =>
        Validate("p.yaml", "name: p\nstages:\n  - generate: { use: baselines/random, count: 99999999999 }\n")
            .ShouldHaveSingleItem().Message.ShouldBe("pipeline 'p', generate: 'count' must be in [1, 1024], got 99999999999");

    [Fact]
    public void ValidateFile_StageSizesOutOfRange_AreErrors()
    {
        var errors = Validate("p.yaml", "name: p\nstages:\n  - generate: { use: baselines/initial }\n  - diversify: { use: baselines/mmr, size: 10001 }\n  - truncate: { size: 0 }\n");

        errors.Select(e => e.Message).ShouldBe(
        [
            "pipeline 'p', diversify: 'size' must be in [1, 10000], got 10001",
            "pipeline 'p', truncate: 'size' must be in [1, 10000], got 0",
        ]);
    }

    [Fact]
    public void ValidateFile_PluginParamOutOfRange_IsAnErrorAtTheValue()
    {
        var errors = Validate("p.yaml", "name: p\nstages:\n  - generate:\n      scorer: baselines@^1.0/prior\n      decoder: { use: baselines@^1.0/beam, params: { width: 2147483647 } }\n");

        var error = errors.ShouldHaveSingleItem();
        error.Message.ShouldBe("decoder 'baselines@1.0.0/beam': params.width: must be in [1, 1024], got 2147483647");
        (error.Location.Line, error.Location.Column).ShouldBe((5, 61));
    }

    [Fact]
    public void ValidateFile_NestedPluginParamOutOfRange_NamesTheNestedKey() =>
        Validate("p.yaml", "name: p\nstages:\n  - generate: { use: degre/generator, params: { teacher_params: { layers: 65 } } }\n")
            .ShouldHaveSingleItem().Message.ShouldEndWith("params.teacher_params.layers: must be in [1, 64], got 65");

    [Fact]
    public void ValidateFile_DatasetAndEvaluationOutOfRange_NameTheirKeys()
    {
        var errors = Validate("e.yaml", """
            name: e
            dataset: { type: simulator, params: { train_requests: 2147483647 } }
            evaluation: { hit_rate_lists: 99, batch_size: 1000000 }
            pipelines:
              - name: initial
                stages: [ { generate: { use: baselines/initial } } ]
            """);

        errors.Select(e => e.Message).ShouldBe(
        [
            "evaluation.hit_rate_lists: must be in [100, 1000000], got 99",
            "evaluation.batch_size: must be in [1, 65536], got 1000000",
            "dataset (simulator): params.train_requests: must be in [0, 10000000], got 2147483647",
        ],
        ignoreOrder: true);
    }

    private List<ConfigError> Validate(string name, string yaml)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, yaml);
        var errors = new List<ConfigError>();
        ConfigValidator.ValidateFile(path, _catalog, errors);
        return errors;
    }
}
