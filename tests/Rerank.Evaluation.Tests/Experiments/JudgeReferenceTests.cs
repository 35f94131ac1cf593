using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>HR@K% under learned judges (<c>evaluation.judges</c>).</summary>
public sealed class JudgeReferenceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-judges-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void HitRate_HandValues_CountsListsStrictlyHigher()
    {
        double[][] sorted = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]];

        // Request 0: value 10 → rank 0 (a hit at 10%); request 1: value 9.5 → rank 1 (1/10 is not < 10%).
        JudgeReference.HitRate(sorted, [10, 9.5], 10).ShouldBe(0.5);
        JudgeReference.HitRate(sorted, [10, 9.5], 20).ShouldBe(1.0);
    }

    [Fact]
    public void Run_OracleAsJudge_JudgeColumnsFollowTheTrueUtility()
    {
        var result = Run("""
            name: judges
            seed: 11
            dataset:
              type: simulator
              params: { candidates: 8, slate_size: 4, train_requests: 20, validation_requests: 20, test_requests: 100 }
            evaluation:
              hit_rate_lists: 500
              judge_lists: 500
              latency_requests: 2
              judges: [truth]
            evaluators:
              - { name: truth, use: baselines/oracle }
            pipelines:
              - name: random
                stages: [ { generate: { use: baselines/random } } ]
              - name: greedy-oracle
                stages: [ { generate: { scorer: baselines/oracle, decoder: baselines/greedy } } ]
            """);

        var random = result.Rows.Single(r => r.Pipeline == "random");
        var greedy = result.Rows.Single(r => r.Pipeline == "greedy-oracle");
        greedy["value[truth]"]!.Value.ShouldBe(greedy["utility"]!.Value, 1e-9);
        greedy["hr@10%[truth]"]!.Value.ShouldBe(greedy["hr@10%"]!.Value, 0.1);
        random["hr@10%[truth]"]!.Value.ShouldBeLessThan(0.3);
        greedy["hr@10%[truth]"]!.Value.ShouldBeGreaterThan(0.8);
    }

    [Fact]
    public void Parse_UnknownJudge_IsAnErrorNamingIt()
    {
        var path = Path.Combine(_folder, "bad.yaml");
        File.WriteAllText(path, """
            name: bad
            dataset: { type: simulator }
            evaluation: { judges: [nobody] }
            evaluators:
              - { name: truth, use: baselines/oracle }
            pipelines:
              - name: random
                stages: [ { generate: { use: baselines/random } } ]
            """);
        var errors = new List<ConfigError>();
        ExperimentParser.ParseFile(path, errors);
        errors.ShouldHaveSingleItem().Message.ShouldContain("judge 'nobody'");
    }

    private ExperimentResult Run(string yaml)
    {
        var path = Path.Combine(_folder, "experiment.yaml");
        File.WriteAllText(path, yaml);
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(path, errors);
        errors.ShouldBeEmpty();
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));
        return new ExperimentRunner(catalog, SilentReporter.Instance).Run(spec!, _folder);
    }
}
