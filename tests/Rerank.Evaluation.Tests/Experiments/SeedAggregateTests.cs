using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Metrics;
using Rerank.Evaluation.OffPolicy;
using Rerank.Evaluation.Results;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>Runs of several seeds combine into means ± sample std, and paired differences pooled over the seeds' requests.</summary>
public sealed class SeedAggregateTests
{
    [Fact]
    public void SampleStd_FourValues_DividesByNMinusOne()
    {
        // mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, over n − 1 = 3.
        SeedAggregate.SampleStd([1.0, 2.0, 3.0, 4.0]).ShouldBe(Math.Sqrt(5.0 / 3), 1e-15);
        SeedAggregate.SampleStd([7.0]).ShouldBe(0);
    }

    [Fact]
    public void Combine_OneSeedNoComparison_TheRunAsItIs()
    {
        var run = Run(1, ("a", 0.5, null, [0.5]));

        SeedAggregate.Combine([run], new EvaluationOptions(), 1).ShouldBeSameAs(run.Result);
    }

    [Fact]
    public void Combine_ThreeSeeds_MeanAndSampleStdPerMetric()
    {
        SeedRun[] runs = [Run(1, ("a", 1.0, 10.0, [1])), Run(2, ("a", 2.0, null, [2])), Run(3, ("a", 4.0, 30.0, [4]))];

        var result = SeedAggregate.Combine(runs, new EvaluationOptions(), 1);

        result.Seeds.ShouldBe([1UL, 2UL, 3UL]);
        var row = result.Rows.ShouldHaveSingleItem();
        row["utility"]!.Value.ShouldBe(7.0 / 3, 1e-15);
        row.StdOf("utility")!.Value.ShouldBe(SeedAggregate.SampleStd([1.0, 2.0, 4.0]), 1e-15);
        row["ild"].ShouldBeNull("a metric missing in one seed has no mean");
        row.StdOf("ild").ShouldBeNull();
        result.Dataset.ShouldContain(kv => kv.Key == "seeds");
        result.Dataset.ShouldNotContain(kv => kv.Key == "seed");
        result.Latencies["a"].Length.ShouldBe(3, "latencies of every seed");
        result.Comparison.ShouldBeNull();
    }

    [Fact]
    public void Combine_ASeedFailed_TheRowFailsNamingTheSeed()
    {
        var failed = Run(2, ("a", 0, null, [0]));
        failed = failed with { Result = failed.Result with { Rows = [ResultRow.Failed("a", "boom")] } };

        var row = SeedAggregate.Combine([Run(1, ("a", 1.0, null, [1])), failed], new EvaluationOptions(), 1).Rows.Single();

        row.Status.ShouldBe("failed");
        row.Error.ShouldBe("seed 2: boom");
    }

    [Fact]
    public void Combine_CompareTo_PairedDifferencePooledOverSeedsWithItsInterval()
    {
        // Seed 1: b − a = 1, 2 per request; seed 2: b − a = 3 (the NaN request is dropped); pooled mean (1 + 2 + 3) / 3 = 2.
        SeedRun[] runs =
        [
            Run(1, ("a", 0, null, [0.0, 0.0]), ("b", 1.5, null, [1.0, 2.0])),
            Run(2, ("a", 0, null, [0.0, 0.0]), ("b", 3.0, null, [3.0, double.NaN])),
        ];
        var options = new EvaluationOptions { CompareTo = ["a"], BootstrapSamples = 400 };

        var result = SeedAggregate.Combine(runs, options, 9);

        result.Comparison.ShouldNotBeNull().References.ShouldBe(["a"]);
        result.Comparison.BootstrapSamples.ShouldBe(400);
        result.Comparison.Level.ShouldBe(0.95);
        result.Comparison.Several.ShouldBeFalse();
        result.Rows[0].Differences.ShouldBeNull("the reference row has no difference to itself");
        var d = result.Rows[1].DifferenceOf("a", "utility").ShouldNotBeNull().Interval;
        d.Mean.ShouldBe(2.0, 1e-15);
        d.Count.ShouldBe(3);
        d.Low.ShouldBeInRange(1.0, 2.0);
        d.High.ShouldBeInRange(2.0, 3.0);
        d.ShouldBe(SeedAggregate.Combine(runs, options, 9).Rows[1].DifferenceOf("a", "utility")!.Interval, "same config, same interval");
    }

    [Fact]
    public void Combine_OneSeedWithCompareTo_MetricsUnchangedDifferenceAdded()
    {
        var run = Run(1, ("a", 0.5, null, [0.5, 0.5]), ("b", 0.75, 0.1, [0.75, 0.75]));

        var result = SeedAggregate.Combine([run], new EvaluationOptions { CompareTo = ["a"] }, 1);

        result.Seeds.ShouldBeNull();
        result.Rows[1].Metrics.ShouldBe(run.Result.Rows[1].Metrics);
        result.Rows[1].Std.ShouldBeNull();
        result.Rows[1].DifferenceOf("a", "utility")!.Interval.ShouldBe(new BootstrapInterval(0.25, 0.25, 0.25, 2));
    }

    [Fact]
    public void Combine_TwoReferences_EveryRowHasADifferenceToEachOtherReferenceEqualToTheSingleReferenceRun()
    {
        SeedRun[] runs =
        [
            Run(1, ("a", 0, null, [0.0, 0.5, 0.25]), ("b", 1.5, null, [1.0, 2.0, 1.5]), ("c", 1, null, [1.0, 0.5, 2.0])),
            Run(2, ("a", 0, null, [0.25, 0.0, 0.5]), ("b", 3.0, null, [3.0, double.NaN, 2.5]), ("c", 2, null, [0.5, 1.0, 0.75])),
        ];

        var both = SeedAggregate.Combine(runs, new EvaluationOptions { CompareTo = ["a", "c"], BootstrapSamples = 300 }, 9);
        var toA = SeedAggregate.Combine(runs, new EvaluationOptions { CompareTo = ["a"], BootstrapSamples = 300 }, 9);
        var toC = SeedAggregate.Combine(runs, new EvaluationOptions { CompareTo = ["c"], BootstrapSamples = 300 }, 9);

        both.Comparison.ShouldNotBeNull().References.ShouldBe(["a", "c"]);
        both.Comparison.Several.ShouldBeTrue();
        both.Rows.Select(r => string.Join(",", r.Differences!.Select(d => $"{d.Reference}/{d.Metric}"))).ShouldBe(["c/utility", "a/utility,c/utility", "a/utility"], "no row is compared with itself");
        both.Rows[1].DifferenceOf("a", "utility").ShouldBe(toA.Rows[1].DifferenceOf("a", "utility"), "same seeds, same bootstrap");
        both.Rows[1].DifferenceOf("c", "utility").ShouldBe(toC.Rows[1].DifferenceOf("c", "utility"));
        both.Rows[2].DifferenceOf("a", "utility").ShouldBe(toA.Rows[2].DifferenceOf("a", "utility"));
        both.Rows[0].DifferenceOf("c", "utility").ShouldBe(toC.Rows[0].DifferenceOf("c", "utility"));
        both.Rows[1].DifferenceOf("a", "utility")!.Interval.Count.ShouldBe(5, "the NaN request is left out");
        toA.Rows[0].Differences.ShouldBeNull("with one reference its own row has none");
    }

    [Fact]
    public void Combine_AReferenceFailed_NoDifferencesToItTheOthersKept()
    {
        var failed = Run(1, ("a", 0, null, [0.0]), ("b", 1, null, [1.0]), ("c", 2, null, [2.0]));
        failed = failed with
        {
            Result = failed.Result with { Rows = [failed.Result.Rows[0], failed.Result.Rows[1], ResultRow.Failed("c", "boom")] },
            PerRequest = failed.PerRequest.Where(kv => kv.Key != "c").ToDictionary(),
        };

        var result = SeedAggregate.Combine([failed], new EvaluationOptions { CompareTo = ["a", "c"] }, 1);

        result.Rows[0].Differences.ShouldBeNull();
        result.Rows[1].Differences!.Select(d => d.Reference).ShouldBe(["a"]);
        result.Rows[2].Differences.ShouldBeNull();
    }

    [Fact]
    public void Combine_TwoSeedsWithOffPolicy_EachEstimatorKeepsBothRunsInSeedOrderAndNotesAreMerged()
    {
        static SeedRun WithEstimate(ulong seed, double value, double truth, string note)
        {
            var run = Run(seed, ("a", 1.0, null, [1]));
            var cell = new OffPolicyCell("IPS", [new OffPolicyRun(seed, new OffPolicyEstimate("IPS", value, value - 0.1, value + 0.1, 10, 50, 1e6, 1), truth)]);
            var result = run.Result with
            {
                Rows = [run.Result.Rows[0] with { OffPolicy = [cell] }],
                OffPolicy = new OffPolicySettings("clicks", 0.95, 100, 1e6, 100, [note]),
            };
            return run with { Result = result };
        }

        var combined = SeedAggregate.Combine([WithEstimate(1, 0.5, 0.45, "PI skipped"), WithEstimate(2, 0.7, 0.75, "PI skipped")], new EvaluationOptions(), 1);

        var cell = combined.Rows.Single().OffPolicy.ShouldNotBeNull().ShouldHaveSingleItem();
        cell.Runs.Select(r => r.Seed).ShouldBe([1UL, 2UL]);
        cell.Value.ShouldBe(0.6, 1e-12);
        cell.Std!.Value.ShouldBe(Math.Sqrt(0.02), 1e-12);
        cell.Truth!.Value.ShouldBe(0.6, 1e-12);
        cell.Covered.ShouldBe(2, "0.45 in [0.4, 0.6] and 0.75 in [0.6, 0.8]");
        (cell.Clipped, cell.Requests).ShouldBe((2, 20));
        combined.OffPolicy.ShouldNotBeNull().Notes.ShouldBe(["PI skipped"]);
    }

    private static SeedRun Run(ulong seed, params (string Name, double Utility, double? Ild, double[] PerRequest)[] rows)
    {
        var result = new ExperimentResult(
            "e",
            [new("type", "simulator"), new("seed", seed)],
            [.. rows.Select(r => new ResultRow(r.Name, [new("utility", r.Utility), new("ild", r.Ild)]))],
            rows.ToDictionary(r => r.Name, r => "graph\n"),
            rows.ToDictionary(r => r.Name, _ => new[] { 0.1 }),
            rows.ToDictionary(r => r.Name, _ => (IReadOnlyList<KeyValuePair<string, double>>)[new("1. generate", 1.0)]),
            []);
        return new SeedRun(seed, result, rows.ToDictionary(r => r.Name, r => (IReadOnlyDictionary<string, double[]>)new Dictionary<string, double[]> { ["utility"] = r.PerRequest }));
    }
}
