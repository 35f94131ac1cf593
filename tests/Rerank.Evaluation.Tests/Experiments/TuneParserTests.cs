using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>
/// A pipeline entry's <c>tune:</c>: grid keys resolve to one stage's component, values are distinct and bind against the
/// component's options; every mistake is an error at its file:line:column, all reported at once.
/// </summary>
public sealed class TuneParserTests : IDisposable
{
    private const string Head = "name: e\ndataset: { type: simulator }\npipelines:\n";
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-tune-").FullName;
    private readonly List<ConfigError> _errors = [];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ParseFile_Grid_PointsInGridOrderFirstKeySlowest()
    {
        var spec = Parse(Head + """
              - name: mmr
                tune:
                  grid:
                    diversify.lambda: [0.2, 0.8]
                    diversify.window: [0, 3, 5]
                stages:
                  - generate: { use: baselines/initial }
                  - diversify: { use: baselines/mmr, params: { lambda: 0.5 } }
            """);

        _errors.ShouldBeEmpty();
        var tune = spec.ShouldNotBeNull().TuneOf("mmr").ShouldNotBeNull();
        tune.Metric.ShouldBe("utility");
        tune.PointCount.ShouldBe(6);
        tune.Points().Select(p => string.Join(" ", p.Select(TuneSpec.Display))).ShouldBe(["0.2 0", "0.2 3", "0.2 5", "0.8 0", "0.8 3", "0.8 5"]);
        var variant = tune.Apply(spec.Pipelines[0], tune.Points().Last());
        var mmr = ((Runtime.Pipelines.DiversifyStageSpec)variant.Stages[1]).Diversifier.Params.ShouldNotBeNull();
        mmr.Entries.Select(e => (e.Key, TuneSpec.Display(e.Value))).ShouldBe([("lambda", "0.8"), ("window", "5")], "set on top of the pipeline's own params");
        spec.TuneOf("other").ShouldBeNull();
    }

    [Fact]
    public void ParseFile_TuneOnAnInclude_ResolvedAgainstTheIncludedStagesUnderItsNewName()
    {
        File.WriteAllText(Path.Combine(_folder, "p.yaml"), "name: p\nstages:\n  - generate: { scorer: baselines/oracle, decoder: baselines/beam }\n");

        var spec = Parse(Head + "  - file: p.yaml\n    name: beam\n    tune: { grid: { generate.decoder.width: [2, 4] } }\n");

        _errors.ShouldBeEmpty();
        var axis = spec.ShouldNotBeNull().TuneOf("beam").ShouldNotBeNull().Grid.ShouldHaveSingleItem();
        (axis.Stage, axis.Part, string.Join(".", axis.Param)).ShouldBe((0, "decoder", "width"));
    }

    [Fact]
    public void ParseFile_StructuralMistakes_EachAnErrorAtItsLocation()
    {
        var file = Path.Combine(_folder, "e.yaml");
        Parse(Head + """
              - name: a
                tune: { metric: ndcg, grid: {} }
                stages: [ { generate: { use: baselines/initial } } ]
              - name: b
                tune:
                  grid:
                    rerank.lambda: [0.1]
                    diversify.lambda: [0.1, 0.10, 0.2]
                    diversify: [1]
                    truncate.size: [3]
                stages:
                  - generate: { use: baselines/initial }
                  - diversify: { use: baselines/mmr }
                  - truncate: {}
              - name: c
                tune: { grid: { diversify.lambda: [0.1, 0.2], generate.width: [2] } }
                stages:
                  - generate: { scorer: baselines/oracle, decoder: baselines/beam }
                  - diversify: { use: baselines/mmr }
                  - diversify: { use: baselines/dpp }
              - name: d
                tune: { grid: { diversify.window: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], diversify.lambda: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.05, 0.15, 0.25, 0.35] } }
                stages:
                  - generate: { use: baselines/initial }
                  - diversify: { use: baselines/mmr }
              - name: f
                tune: { grid: { diversify.lambda: [] } }
                stages: [ { generate: { use: baselines/initial } }, { diversify: { use: baselines/mmr } } ]
            """);

        _errors.Select(e => e.ToString()[(e.ToString().IndexOf("e.yaml", StringComparison.Ordinal))..]).ShouldBe(
        [
            "e.yaml:5:21: pipeline 'a', tune: metric 'ndcg' is not supported; supported: utility",
            "e.yaml:5:33: pipeline 'a', tune: the grid is empty; give at least one key (e.g. diversify.lambda: [0.1, 0.5, 0.9])",
            "e.yaml:10:9: pipeline 'b', tune: 'rerank.lambda' names no stage of the pipeline; a key is <stage>.<param> with stage one of: generate, diversify, truncate",
            "e.yaml:11:33: pipeline 'b', tune: 'diversify.lambda' lists 0.10 twice; values must be distinct",
            "e.yaml:12:9: pipeline 'b', tune: 'diversify' names no param; write diversify.<param>, a key of the component's params",
            "e.yaml:13:9: pipeline 'b', tune: 'truncate.size': stage 'truncate' has no component params to tune",
            $"e.yaml:19:21: pipeline 'c', tune: 'diversify.lambda' is ambiguous: the pipeline has 2 'diversify' stages (stage 2 at {file}:22:9, stage 3 at {file}:23:9)",
            "e.yaml:19:51: pipeline 'c', tune: 'generate.width': the generate stage is a scorer + decoder; name the component: generate.scorer.<param>, generate.decoder.<param>",
            "e.yaml:25:19: pipeline 'd', tune: the grid has more than 256 combinations (18 × 15); at most 256",
            "e.yaml:30:39: pipeline 'f', tune: 'diversify.lambda' must be a non-empty list of values, e.g. diversify.lambda: [0.1, 0.5, 0.9]",
        ]);
    }

    [Fact]
    public void ParseFile_TuneInAPipelineFileOrAFixedCheckpoint_Refused()
    {
        File.WriteAllText(Path.Combine(_folder, "p.yaml"), "name: p\ntune: { grid: { diversify.lambda: [0.1] } }\nstages: [ { generate: { use: baselines/initial } } ]\n");

        Parse(Head + """
              - file: p.yaml
              - name: dnn
                tune: { grid: { generate.scorer.hidden: [4, 8] } }
                stages: [ { generate: { scorer: { use: baselines/dnn, checkpoint: dnn.safetensors }, decoder: baselines/greedy } } ]
            """);

        _errors.Select(e => e.Message).ShouldBe(
        [
            "pipeline: unknown key 'tune'; expected one of: name, description, stages",
            $"pipeline 'dnn', tune: 'generate.scorer.hidden' varies a component with a fixed checkpoint ({Path.Combine(_folder, "dnn.safetensors")}); every variant would share it: drop 'checkpoint' to tune it",
        ]);
    }

    [Fact]
    public void ValidateFile_UnknownParamIllTypedAndOutOfRangeValues_ErrorsNamingKeyValueAndLocation()
    {
        var path = Write(Head + """
              - name: mmr
                tune:
                  grid:
                    diversify.lamda: [0.1, 0.2]
                    diversify.lambda: [0.5, 1.5, high]
                stages:
                  - generate: { use: baselines/initial }
                  - diversify: { use: baselines/mmr }
              - name: dpp
                tune: { grid: { diversify.theta: [0.5, 1.0] } }
                stages:
                  - generate: { use: baselines/initial }
                  - diversify: { use: baselines/dpp }
            """);
        using var catalog = Plugins();

        ConfigValidator.ValidateFile(path, catalog, _errors);

        _errors.Select(e => e.ToString()[(e.ToString().IndexOf("e.yaml", StringComparison.Ordinal))..]).ShouldBe(
        [
            "e.yaml:7:9: pipeline 'mmr', tune: 'diversify.lamda': diversifier 'baselines@1.0.0/mmr': params: unknown key 'lamda'; known keys: lambda, window, prior",
            "e.yaml:8:33: pipeline 'mmr', tune: diversify.lambda = 1.5: diversifier 'baselines@1.0.0/mmr': params.lambda: must be in [0, 1], got 1.5",
            "e.yaml:8:38: pipeline 'mmr', tune: diversify.lambda = high: diversifier 'baselines@1.0.0/mmr': params.lambda: 'high' is not a number",
            "e.yaml:13:44: pipeline 'dpp', tune: diversify.theta = 1.0: diversifier 'baselines@1.0.0/dpp': params.theta: must be in [0, 1), got 1",
        ]);
    }

    [Fact]
    public void Run_BadGridValue_ConfigErrorBeforeAnythingRuns()
    {
        var path = Write(Head.Replace("{ type: simulator }", "{ type: simulator, params: { candidates: 6, slate_size: 3, train_requests: 10, validation_requests: 10, test_requests: 10 } }", StringComparison.Ordinal) + """
              - name: mmr
                tune: { grid: { diversify.lambda: [0.5, 2] } }
                stages: [ { generate: { use: baselines/initial } }, { diversify: { use: baselines/mmr } } ]
            """);
        var spec = ExperimentParser.ParseFile(path, _errors);
        _errors.ShouldBeEmpty();
        using var catalog = Plugins();

        var error = Should.Throw<Runtime.Configuration.ConfigException>(() => new ExperimentRunner(catalog, SilentReporter.Instance).Run(spec!, _folder));

        error.Errors.ShouldHaveSingleItem().Message.ShouldStartWith("pipeline 'mmr', tune: diversify.lambda = 2: ");
    }

    private static PluginCatalog Plugins() => new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, "e.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private ExperimentSpec? Parse(string yaml) => ExperimentParser.ParseFile(Write(yaml), _errors);
}
