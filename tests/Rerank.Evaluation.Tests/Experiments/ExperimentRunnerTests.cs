using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>The runner's optional parts: extra metric groups and evaluator quality on held-out logs.</summary>
public sealed class ExperimentRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_ExtraMetricsAndEvaluators_AddColumnsAndRows()
    {
        var result = Run("""
            name: extras
            seed: 11
            dataset:
              type: simulator
              params: { candidates: 10, slate_size: 5, train_requests: 20, validation_requests: 300, test_requests: 200, conversion_weight: 1 }
            evaluation:
              hit_rate_lists: 500
              latency_requests: 3
              metrics: [outcomes, coverage, ndcg@5, gauc@5, map@5, recall@5]
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
        random.Metrics.Select(m => m.Key).Skip(8).ShouldBe(["click", "conversion", "gmv", "coverage", "ndcg@5", "gauc@5", "map@5", "recall@5"]);
        greedy["click"]!.Value.ShouldBeGreaterThan(random["click"]!.Value);
        (greedy["click"]!.Value + greedy["conversion"]!.Value).ShouldBe(greedy["utility"]!.Value, 1e-9);
        greedy["ndcg@5"]!.Value.ShouldBeGreaterThan(random["ndcg@5"]!.Value);
        greedy["recall@5"]!.Value.ShouldBeInRange(0, 1);
        random["coverage"]!.Value.ShouldBeInRange(0, 1);

        var truth = result.Rows.Single(r => r.Pipeline == "evaluator: truth");
        truth["auc"].ShouldBeNull("the oracle predicts lists, not positions");
        truth["r_auc"]!.Value.ShouldBeGreaterThan(0.55, "the true utility ranks lists by their clicks better than chance");
        truth["pcoc"]!.Value.ShouldBeInRange(0.7, 1.5, "clicks are unbiased draws of the expected utility's click part");
    }

    [Fact]
    public void EvaluationOptions_UnknownMetric_IsAnErrorNamingIt()
    {
        var errors = new List<ConfigError>();
        var options = OptionsBinder.Bind<EvaluationOptions>(
            new ParamMapping([new ParamEntry("metrics", SourceLocation.None, new ParamSequence([new ParamScalar("ndcg@x", SourceLocation.None)], SourceLocation.None))], SourceLocation.None),
            errors);
        errors.ShouldHaveSingleItem().Message.ShouldContain("unknown metric 'ndcg@x'");
        options.ShouldNotBeNull();
    }

    [Fact]
    public void Run_OnePipelineThrows_OthersScoredAndTheFailedOneMarked()
    {
        using var catalog = PluginCatalog.FromPlugins(new FailingPlugin());

        var result = Run(Small + """
            pipelines:
              - { name: first, stages: [ { generate: { use: failing/fine } } ] }
              - { name: broken, stages: [ { generate: { use: failing/boom } } ] }
              - { name: last, stages: [ { generate: { use: failing/fine } }, { truncate: {} } ] }
            """, catalog);

        result.Rows.Select(r => (r.Pipeline, r.Status)).ShouldBe([("first", "ok"), ("broken", "failed"), ("last", "ok")]);
        result.Rows[0]["utility"].ShouldNotBeNull();
        result.Rows[2]["utility"].ShouldNotBeNull();
        var broken = result.Rows[1];
        broken.Metrics.ShouldBeEmpty();
        broken.Error.ShouldBe($"pipeline 'broken', stage 1 (generate: generator=failing@1.0.0/boom (count 1)): InvalidOperationException: {FailingPlugin.BoomMessage}");
        result.Graphs.Keys.ShouldBe(["first", "broken", "last"], "the failed pipeline's graph is still reported");
        result.Latencies.Keys.ShouldBe(["first", "last"]);
    }

    [Fact]
    public void Run_SharedComponentFailsToTrain_EveryPipelineUsingItFails()
    {
        using var catalog = PluginCatalog.FromPlugins(new FailingPlugin());

        var result = Run(Small + """
            pipelines:
              - { name: a, stages: [ { generate: { use: failing/untrainable } } ] }
              - { name: fine, stages: [ { generate: { use: failing/fine } } ] }
              - { name: b, stages: [ { generate: { use: failing/untrainable } }, { truncate: {} } ] }
            """, catalog);

        result.Rows.Select(r => (r.Pipeline, r.Status)).ShouldBe([("a", "failed"), ("fine", "ok"), ("b", "failed")]);
        var expected = $"'failing@1.0.0/untrainable': it could not be trained: InvalidOperationException: {FailingPlugin.TrainMessage}";
        result.Rows[0].Error.ShouldBe(expected);
        result.Rows[2].Error.ShouldBe(expected);
        result.Training.ShouldBeEmpty();
    }

    [Fact]
    public void Run_CancelledWhileAPipelineRuns_StopsTheRun()
    {
        using var catalog = PluginCatalog.FromPlugins(new FailingPlugin());
        using var cancel = new CancellationTokenSource();

        Should.Throw<OperationCanceledException>(() => Run(Small + """
            pipelines:
              - { name: first, stages: [ { generate: { use: failing/fine } } ] }
              - { name: second, stages: [ { generate: { use: failing/fine } } ] }
            """, catalog, new CancellingReporter("evaluate second", cancel), cancel.Token));
    }

    [Fact]
    public void Run_SeedsAndCompareTo_MeansStdDifferencesPerSeedCheckpointsAndTheSameTwice()
    {
        const string yaml = """
            name: seeded
            seeds: [5, 6]
            dataset:
              type: simulator
              params: { candidates: 6, slate_size: 3, train_requests: 60, validation_requests: 20, test_requests: 40 }
            evaluation: { hit_rate_lists: 100, latency_requests: 2, warmup_requests: 1, compare_to: initial, bootstrap_samples: 200 }
            pipelines:
              - name: initial
                stages: [ { generate: { use: baselines/initial } }, { truncate: {} } ]
              - name: dnn
                stages: [ { generate: { scorer: { use: baselines/dnn, params: { epochs: 1, hidden: 8 }, checkpoint: mine/dnn.safetensors }, decoder: baselines/greedy } } ]
              - name: random
                stages: [ { generate: { use: baselines/random } } ]
            """;

        var result = Run(yaml);
        var mine = Path.Combine(_folder, "mine");
        Directory.GetFiles(mine, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(mine, f).Replace('\\', '/')).Order()
            .ShouldBe(["dnn.safetensors", "seed-6/dnn.safetensors"]); // the first seed keeps the checkpoint: path, the others get a folder
        Directory.Delete(mine, recursive: true); // the second run trains again

        result.Seeds.ShouldBe([5UL, 6UL]);
        result.Rows.Select(r => r.Status).ShouldAllBe(s => s == "ok");
        result.Training.Select(c => c.Component[^8..]).ShouldBe(["(seed 5)", "(seed 6)"]);
        var random = result.Rows.Single(r => r.Pipeline == "random");
        random.StdOf("utility").ShouldNotBeNull().ShouldBeGreaterThan(0);
        var utility = random.DifferenceOf("initial", "utility").ShouldNotBeNull().Interval;
        utility.Count.ShouldBe(80, "40 test requests per seed, pooled");
        utility.High.ShouldBeLessThan(0, "random lists are worse than the prior order");
        utility.Low.ShouldBeLessThanOrEqualTo(utility.Mean);
        result.Rows.Single(r => r.Pipeline == "initial").Differences.ShouldBeNull();
        random.Differences!.Select(d => d.Metric).ShouldBe(["utility", "hr@1%", "hr@3%", "hr@10%", "oracle_ratio", "ild"]);

        var again = Run(yaml);
        again.Rows.Select(r => r["utility"]).ShouldBe(result.Rows.Select(r => r["utility"]));
        again.Rows.Select(r => r.Differences?.Select(d => d.Interval)).ShouldBe(result.Rows.Select(r => r.Differences?.Select(d => d.Interval)));
    }

    [Fact]
    public void Run_TwoReferences_EveryRowHasBothDifferencesAndThoseToOneAreTheSingleReferenceRuns()
    {
        const string yaml = """
            name: references
            seeds: [5, 6]
            dataset:
              type: simulator
              params: { candidates: 6, slate_size: 3, train_requests: 20, validation_requests: 20, test_requests: 30 }
            evaluation: { hit_rate_lists: 100, latency_requests: 2, warmup_requests: 1, compare_to: COMPARE, bootstrap_samples: 200 }
            pipelines:
              - name: initial
                stages: [ { generate: { use: baselines/initial } }, { truncate: {} } ]
              - name: mmr
                stages: [ { generate: { use: baselines/initial } }, { diversify: { use: baselines/mmr } } ]
              - name: random
                stages: [ { generate: { use: baselines/random } } ]
            """;

        var both = Run(yaml.Replace("COMPARE", "[random, initial]", StringComparison.Ordinal));
        var toInitial = Run(yaml.Replace("COMPARE", "initial", StringComparison.Ordinal));
        var toRandom = Run(yaml.Replace("COMPARE", "[random]", StringComparison.Ordinal));

        both.Comparison.ShouldNotBeNull().References.ShouldBe(["random", "initial"]);
        both.Rows.Select(r => string.Join(",", r.Differences!.Select(d => d.Reference).Distinct())).ShouldBe(["random", "random,initial", "initial"]);
        foreach (var (single, reference) in new[] { (toInitial, "initial"), (toRandom, "random") })
        {
            single.Comparison!.Several.ShouldBeFalse();
            foreach (var row in both.Rows.Where(r => r.Pipeline != reference))
            {
                var expected = single.Rows.Single(r => r.Pipeline == row.Pipeline).Differences.ShouldNotBeNull();
                row.Differences!.Where(d => d.Reference == reference).ShouldBe(expected, $"{row.Pipeline} − {reference}: same seeds, same bootstrap");
            }
        }

        both.Rows.Single(r => r.Pipeline == "mmr").DifferenceOf("initial", "utility")!.Interval.Count.ShouldBe(60, "30 test requests per seed, pooled");
    }

    [Fact]
    public void Run_SeedsWithoutExplicitCheckpoint_FirstSeedInCheckpointsTheOthersInTheirOwnFolder()
    {
        Run("""
            name: seeded
            seeds: [5, 6]
            dataset:
              type: simulator
              params: { candidates: 6, slate_size: 3, train_requests: 60, validation_requests: 20, test_requests: 10 }
            evaluation: { hit_rate_lists: 100, latency_requests: 2, warmup_requests: 1 }
            pipelines:
              - name: dnn
                stages: [ { generate: { scorer: { use: baselines/dnn, params: { epochs: 1, hidden: 8 } }, decoder: baselines/greedy } } ]
            """);

        Directory.GetFiles(Path.Combine(_folder, "checkpoints"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_folder, f).Replace('\\', '/').Split('/')).Select(p => p.Length > 2 ? p[1] : "(checkpoints)").Distinct().Order().ShouldBe(["(checkpoints)", "seed-6"]);
    }

    private const string Small = """
        name: partial
        seed: 5
        dataset:
          type: simulator
          params: { candidates: 6, slate_size: 3, train_requests: 20, validation_requests: 20, test_requests: 20 }
        evaluation: { hit_rate_lists: 100, latency_requests: 2, warmup_requests: 1 }

        """;

    private ExperimentResult Run(string yaml, PluginCatalog catalog, IRunReporter? reporter = null, CancellationToken cancellation = default)
    {
        var path = Path.Combine(_folder, "e.yaml");
        File.WriteAllText(path, yaml);
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(path, errors);
        errors.ShouldBeEmpty(string.Join("\n", errors));
        return new ExperimentRunner(catalog, reporter ?? SilentReporter.Instance).Run(spec!, _folder, cancellation);
    }

    /// <summary>Cancels <paramref name="cancel"/> when the step named <paramref name="step"/> starts, as Ctrl-C would.</summary>
    private sealed class CancellingReporter(string step, CancellationTokenSource cancel) : IRunReporter
    {
        public T Track<T>(string description, double total, Func<IProgress<double>, T> work)
        {
            if (description == step)
            {
                cancel.Cancel();
            }

            return work(new Progress<double>());
        }

        public void Info(string message)
        {
        }
    }

    private ExperimentResult Run(string yaml)
    {
        var path = Path.Combine(_folder, "e.yaml");
        File.WriteAllText(path, yaml);
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(path, errors);
        errors.ShouldBeEmpty(string.Join("\n", errors));
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));
        return new ExperimentRunner(catalog, SilentReporter.Instance).Run(spec!, _folder);
    }
}
