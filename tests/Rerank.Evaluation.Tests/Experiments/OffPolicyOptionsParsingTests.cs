using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>
/// <c>evaluation.off_policy</c> binds like the other evaluation options, and every mistake is an error at the key it is
/// about: an unknown key, an unknown estimator, <c>cdr</c> without a <c>reward_model</c>, a <c>reward_model</c> that is no
/// evaluator of the experiment or no item-wise evaluator, and a pseudo-inverse estimator on a log.
/// </summary>
public sealed class OffPolicyOptionsParsingTests : IDisposable
{
    private const string Pipelines = "pipelines:\n  - name: initial\n    stages: [ { generate: { use: baselines/initial } } ]\n";
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-ope-parse-").FullName;
    private readonly List<ConfigError> _errors = [];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ParseFile_FullBlock_BindsEveryKey()
    {
        var spec = Parse("""
            evaluation:
              off_policy:
                estimators: [ips, sn-rips, cdr]
                reward: conversions
                clip: 500
                reward_model: dnn
                min_ess: 50
                bootstrap: 200
                level: 0.99
            evaluators:
              - { name: dnn, use: degre/dnn }
            """);

        _errors.ShouldBeEmpty(string.Join("\n", _errors));
        var o = spec.ShouldNotBeNull().Evaluation.OffPolicy.ShouldNotBeNull();
        o.Estimators.ShouldBe(["ips", "sn-rips", "cdr"]);
        o.Reward.ShouldBe(OffPolicyReward.Conversions);
        (o.Clip, o.RewardModel, o.MinEss, o.Bootstrap, o.Level).ShouldBe((500.0, "dnn", 50.0, 200, 0.99));
    }

    [Fact]
    public void ParseFile_NoBlock_LeavesItUnset()
    {
        Parse("evaluation: { batch_size: 8 }\n").ShouldNotBeNull().Evaluation.OffPolicy.ShouldBeNull();
    }

    [Fact]
    public void ParseFile_UnknownKey_NamesItAndItsLine()
    {
        Parse("evaluation:\n  off_policy:\n    clipp: 10\n");

        var error = _errors.ShouldHaveSingleItem();
        error.Message.ShouldStartWith("evaluation.off_policy: unknown key 'clipp'; known keys: estimators, reward, clip, reward_model, min_ess, bootstrap, level");
        (error.Location.Line, error.Location.Column).ShouldBe((5, 5));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void ParseFile_ClipNotAboveZero_IsARangeError(string clip)
    {
        Parse($"evaluation:\n  off_policy:\n    clip: {clip}\n");

        var error = _errors.ShouldHaveSingleItem();
        error.Message.ShouldContain("clip");
        error.Message.ShouldContain("1e-09");
        error.Location.Line.ShouldBe(5);
    }

    [Fact]
    public void ParseFile_UnknownEstimator_NamesItAtTheList()
    {
        Parse("evaluation:\n  off_policy:\n    estimators: [ips, dr]\n");

        var error = _errors.ShouldHaveSingleItem();
        error.Message.ShouldBe("evaluation: off_policy.estimators: unknown estimator 'dr'; expected ips, snips, iips, sniips, rips, snrips, pi, snpi, cdr");
        error.Location.Line.ShouldBe(5);
    }

    [Fact]
    public void ParseFile_CdrWithoutRewardModel_IsAnError()
    {
        Parse("evaluation:\n  off_policy:\n    estimators: [rips, cdr]\n");

        _errors.ShouldHaveSingleItem().Message.ShouldBe("evaluation: off_policy: cdr needs a reward_model (an entry of evaluators: implementing an item-wise evaluator)");
    }

    [Fact]
    public void ParseFile_RewardModelNotAnEvaluatorEntry_ListsTheEvaluators()
    {
        Parse("evaluation:\n  off_policy:\n    estimators: [cdr]\n    reward_model: nope\nevaluators:\n  - { name: dnn, use: degre/dnn }\n");

        var error = _errors.ShouldHaveSingleItem();
        error.Message.ShouldBe("evaluation: off_policy.reward_model 'nope' is not an entry of evaluators:; evaluators: dnn");
        error.Location.Line.ShouldBe(6);
    }

    [Fact]
    public void ParseFile_PseudoInverseOnALog_IsAnErrorNamingWhatIsMissing()
    {
        var yaml = "name: e\ndataset: { type: logs, path: log.csv }\nevaluation:\n  off_policy:\n    estimators: [ips, snpi]\n" + Pipelines;
        File.WriteAllText(Path.Combine(_folder, "log.csv"), "request_id\n");

        ParseRaw(yaml);

        _errors.ShouldHaveSingleItem().Message.ShouldBe("evaluation: off_policy estimator snpi needs the logging policy's pairwise (position, item) marginals, which a log does not record (dataset: logs); declare dataset.params.logging_policy (docs/logs.md) or leave it out");
    }

    [Fact]
    public void ParseFile_PseudoInverseOnALogWithItsPolicyDeclared_IsAccepted()
    {
        var yaml = "name: e\ndataset:\n  type: logs\n  path: log.csv\n  params:\n    features: { priors: [ctr] }\n    logging_policy: { log_prior: ctr, temperature: 0.5 }\n"
            + "evaluation:\n  off_policy:\n    estimators: [ips, snpi]\n" + Pipelines;
        File.WriteAllText(Path.Combine(_folder, "log.csv"), "request_id\n");

        ParseRaw(yaml);

        _errors.ShouldBeEmpty();
    }

    [Fact]
    public void ValidateFile_RewardModelNotItemwise_IsAnErrorAtTheEvaluator()
    {
        var path = Write("name: e\ndataset: { type: simulator }\nevaluation:\n  off_policy:\n    estimators: [cdr]\n    reward_model: oracle\nevaluators:\n  - { name: oracle, use: baselines/oracle }\n" + Pipelines);
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));
        var errors = new List<ConfigError>();

        ConfigValidator.ValidateFile(path, catalog, errors);

        var error = errors.ShouldHaveSingleItem();
        error.Message.ShouldStartWith("evaluation.off_policy: reward_model 'oracle' (baselines/oracle) is not an item-wise evaluator");
        error.Location.Line.ShouldBe(8);
    }

    private ExperimentSpec? Parse(string evaluation) =>
        ParseRaw("name: e\ndataset: { type: simulator }\n" + evaluation.TrimEnd('\n') + "\n" + Pipelines);

    private ExperimentSpec? ParseRaw(string yaml) => ExperimentParser.ParseFile(Write(yaml), _errors);

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, "e.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
