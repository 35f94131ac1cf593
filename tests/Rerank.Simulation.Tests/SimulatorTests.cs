using Rerank.Abstractions;
using Rerank.Evaluation.Metrics;
using Rerank.Runtime.Randomness;
using Rerank.Simulation;
using Rerank.Testing;
using Xunit.Abstractions;

namespace Rerank.Simulation.Tests;

public sealed class SimulatorTests(ITestOutputHelper output)
{
    [Fact]
    public void Generate_SameSeed_SameRequestsAndLogs()
    {
        var a = Simulator.Generate(SimTestWorlds.Small(), 7);
        var b = SimTestWorlds.Dataset;
        DatasetAssert.Equal(a, b);
    }

    [Fact]
    public void Generate_ComplementarityOff_GraphSizeChangesNothing()
    {
        // ζ = 0 (the default): the complement graph is drawn from its own stream and unused, so any graph gives the same data.
        var o = SimTestWorlds.Small();
        o.ComplementsPerCategory = 5;
        DatasetAssert.Equal(Simulator.Generate(o, 7), SimTestWorlds.Dataset);
    }

    [Fact]
    public void Generate_ComplementarityOn_SameRequestsOtherClicks()
    {
        // Complementarity changes the truth and the logged clicks, not the world, the candidates or the exposure.
        var o = SimTestWorlds.Small();
        o.Complementarity = 2.0;
        var on = Simulator.Generate(o, 7);
        var off = SimTestWorlds.Dataset;
        var clicks = 0.0;
        var clicksOff = 0.0;
        for (var i = 0; i < on.Train.Count; i++)
        {
            on.Train[i].Request.Candidates.Select(c => c.Id).ShouldBe(off.Train[i].Request.Candidates.Select(c => c.Id));
            on.Train[i].Exposed.ShouldBe(off.Train[i].Exposed);
            var truthOn = (SimulatedListUtility)on.Train[i].Request.GroundTruth!;
            var truthOff = (SimulatedListUtility)off.Train[i].Request.GroundTruth!;
            truthOn.Utility(on.Train[i].Exposed).ShouldBeGreaterThanOrEqualTo(truthOff.Utility(off.Train[i].Exposed));
            clicks += on.Train[i].Clicks.Sum();
            clicksOff += off.Train[i].Clicks.Sum();
        }

        output.WriteLine($"logged clicks with complementarity {clicks}, without {clicksOff}");
        clicks.ShouldBeGreaterThan(clicksOff);
    }

    [Fact]
    public void Generate_UserEffectsOff_FeatureNoiseChangesNothing()
    {
        // σ = ρ = 0 (the defaults): no per-user draws are used, the schema has no user_patience, the data is unchanged.
        var o = SimTestWorlds.Small();
        o.PatienceFeatureNoise = 3.0;
        var data = Simulator.Generate(o, 7);
        DatasetAssert.Equal(data, SimTestWorlds.Dataset);
        data.Schema.Describe().ShouldNotContain("user_patience");
        data.Test.ShouldAllBe(r => r.UserDense.Length == 0);
        data.World.SatiationScale.ShouldAllBe(x => x == 1.0);
        data.World.Patience.ShouldAllBe(x => x == 1.0);
    }

    [Fact]
    public void DrawUserEffects_HandComputed_FromTheUsersOwnStream()
    {
        var o = new SimulatorOptions { Users = 6, SatiationUserSpread = 0.7, PatienceSpread = 0.4, PatienceFeatureNoise = 0.25 };
        var effects = SimWorld.DrawUserEffects(o, 9);
        for (var u = 0; u < o.Users; u++)
        {
            // z_u, y_u, ε_u in that order from stream u of "user-effects".
            var rng = SeededRandom.For(SimWorld.StableHash(9, "user-effects"), (ulong)u);
            var z = rng.NextGaussian();
            var y = rng.NextGaussian();
            var noise = rng.NextGaussian();
            effects.SatiationScale[u].ShouldBe(Math.Exp(0.7 * z));
            effects.Patience[u].ShouldBe(Math.Exp(0.4 * y));
            effects.PatienceFeature![u].ShouldBe((float)(y + (0.25 * noise)));
        }

        // One effect alone leaves the other at exactly 1 (and no feature without patience).
        o.PatienceSpread = 0;
        var alone = SimWorld.DrawUserEffects(o, 9);
        alone.SatiationScale.ShouldBe(effects.SatiationScale);
        alone.Patience.ShouldAllBe(x => x == 1.0);
        alone.PatienceFeature.ShouldBeNull();
    }

    [Fact]
    public void Generate_UserEffectsOn_FeatureTracksPatienceAndStreamsTrackSatiation()
    {
        var o = SimTestWorlds.Small();
        o.Users = 200;
        o.StreamLength = 200;
        o.SatiationUserSpread = 1.0;
        o.PatienceSpread = 0.5;
        var data = Simulator.Generate(o, 7);
        var world = data.World;
        data.Schema.Describe().ShouldContain("user_patience");
        foreach (var logged in data.Train)
        {
            var user = logged.Request.UserCategorical[0];
            logged.Request.UserDense.ShouldBe([world.PatienceFeature![user]]);
            ((SimulatedListUtility)logged.Request.GroundTruth!).Parameters.Patience.ShouldBe(world.Patience[user]);
        }

        // The observable feature is log γ_u / ρ plus N(0, 0.5²) noise: correlation 1/√1.25 ≈ 0.89 in expectation.
        var logGamma = world.Patience.Select(x => Math.Log(x)).ToArray();
        var corr = Correlation(logGamma, [.. world.PatienceFeature!.Select(x => (double)x)]);
        output.WriteLine($"corr(log γ_u, user_patience) = {corr:F3}");
        corr.ShouldBeGreaterThan(0.8);

        // Stay probability 0.6^exp(σ·z_u): the stream keeps its category more often for users with low η_u.
        var streams = world.Streams(o, 7);
        var stays = streams.Select(s => s.Zip(s.Skip(1)).Count(p => world.ItemCategory[p.First] == world.ItemCategory[p.Second]) / (double)(s.Length - 1)).ToArray();
        var scaleCorr = Correlation(world.SatiationScale, stays);
        output.WriteLine($"corr(exp(σ·z_u), same-category rate) = {scaleCorr:F3}");
        scaleCorr.ShouldBeLessThan(-0.5);
    }

    [Theory]
    [InlineData(20, 2)]
    [InlineData(3, 5)]
    [InlineData(1, 2)]
    public void DrawComplements_EveryCategory_DistinctOtherCategoriesSameEachTime(int categories, int perCategory)
    {
        var o = new SimulatorOptions { Categories = categories, ComplementsPerCategory = perCategory };
        var graph = SimWorld.DrawComplements(o, 5);
        graph.Length.ShouldBe(categories);
        for (var c = 0; c < categories; c++)
        {
            graph[c].Length.ShouldBe(Math.Min(perCategory, categories - 1));
            graph[c].ShouldNotContain(c);
            graph[c].Distinct().Count().ShouldBe(graph[c].Length);
            graph[c].ShouldAllBe(x => x >= 0 && x < categories);
        }

        SimWorld.DrawComplements(o, 5).ShouldBe(graph);
        if (categories == 20)
        {
            SimWorld.DrawComplements(o, 6).ShouldNotBe(graph);
        }
    }

    [Fact]
    public void Generate_OtherSeed_OtherData()
    {
        var a = Simulator.Generate(SimTestWorlds.Small(), 8);
        a.Test[0].Candidates.Select(c => c.Id).ShouldNotBe(SimTestWorlds.Dataset.Test[0].Candidates.Select(c => c.Id));
    }

    [Fact]
    public void Generate_Requests_FollowTheSchemaAndAreValid()
    {
        var data = SimTestWorlds.Dataset;
        data.Train.Count.ShouldBe(300);
        data.Validation.Count.ShouldBe(50);
        data.Test.Count.ShouldBe(40);
        data.Test[3].RequestId.ShouldBe("test-000003");
        foreach (var request in data.Test.Concat(data.Train.Select(l => l.Request)))
        {
            RequestValidator.Validate(request, data.Schema).ShouldBeEmpty();
            request.Candidates.Count.ShouldBe(10);
            request.History.Count.ShouldBe(20);
            request.SlateSize.ShouldBe(5);
            request.GroundTruth.ShouldBeOfType<SimulatedListUtility>();
            request.UserId.ShouldBe($"user-{request.UserCategorical[0]}");

            // Candidates arrive in initial order: descending ctr.
            var ctr = request.Candidates.Select(c => c.Priors[0]).ToArray();
            ctr.ShouldBe(ctr.OrderByDescending(x => x).ToArray());
            request.Candidates[0].Embedding.Length.ShouldBe(16);
            request.History[0].Priors.ShouldBeEmpty();
        }

        data.Schema.Select(FeatureSide.User, FeatureKind.Categorical).Select(f => f.Name).ShouldBe(["user_id", "user_segment"]);
        data.Schema.Select(FeatureSide.Item, FeatureKind.Categorical).Select(f => f.Name).ShouldBe(["item_id", "category"]);
        data.Schema.DenseWidth(FeatureSide.Item).ShouldBe(1);
        data.Schema.PriorNames.ShouldBe(["ctr", "cvr"]);
    }

    [Fact]
    public void Generate_Logs_ExposeLDistinctCandidatesMostlyInPriorOrder()
    {
        var data = SimTestWorlds.Dataset;
        var initialFirst = 0;
        foreach (var log in data.Train)
        {
            log.Exposed.Length.ShouldBe(5);
            log.Exposed.Distinct().Count().ShouldBe(5);
            for (var t = 0; t < 5; t++)
            {
                if (log.Conversions[t] > 0)
                {
                    log.Clicks[t].ShouldBe(1f);
                }
            }

            initialFirst += log.Exposed[0] == 0 ? 1 : 0;
        }

        // Plackett–Luce over log ctr / 0.5 favours the highest prior, with exploration.
        (initialFirst / (double)data.Train.Count).ShouldBeInRange(0.2, 0.95);
    }

    [Fact]
    public void Generate_LoggedClicks_MatchExpectedClickRates()
    {
        // Guarantee 4: empirical click (and conversion) rates match P(click_t) within sampling error.
        var options = SimTestWorlds.Small();
        options.TrainRequests = 6000;
        options.ValidationRequests = 0;
        options.TestRequests = 0;
        options.ConversionBias = 1.0;
        var data = Simulator.Generate(options, 21);
        for (var t = 0; t < options.SlateSize; t++)
        {
            double clicks = 0, expected = 0, variance = 0, conversions = 0, expectedConv = 0, varianceConv = 0;
            foreach (var log in data.Train)
            {
                var outcome = log.Request.GroundTruth!.Outcome(log.Exposed);
                clicks += log.Clicks[t];
                expected += outcome.Click[t];
                variance += outcome.Click[t] * (1 - outcome.Click[t]);
                conversions += log.Conversions[t];
                expectedConv += outcome.Conversion[t];
                varianceConv += outcome.Conversion[t] * (1 - outcome.Conversion[t]);
            }

            output.WriteLine($"position {t + 1}: clicks {clicks} vs expected {expected:F1} (sd {Math.Sqrt(variance):F1}); conversions {conversions} vs {expectedConv:F1}");
            Math.Abs(clicks - expected).ShouldBeLessThan(4.5 * Math.Sqrt(variance));
            Math.Abs(conversions - expectedConv).ShouldBeLessThan(4.5 * Math.Sqrt(varianceConv));
        }
    }

    [Fact]
    public void Generate_Calibration_ReportsRatiosToTheOptimum()
    {
        // SIMULATOR.md "Calibration": N = 10, L = 5, click utility: initial ≈ 0.86, sort by r ≈ 0.90, greedy ≈ 0.99, random ≈ 0.61.
        var data = SimTestWorlds.TestOnly(300, 10, 5, seed: 5);
        double initial = 0, sorted = 0, greedy = 0, random = 0;
        var rng = new SeededRandom(99);
        foreach (var request in data.Test)
        {
            var truth = (SimulatedListUtility)request.GroundTruth!;
            var best = truth.Optimum(5).Value;
            initial += truth.Utility([0, 1, 2, 3, 4]) / best;
            sorted += truth.Utility(SimulatedListUtility.TopBy(truth.Attractiveness, 5)) / best;
            greedy += truth.Greedy(5).Value / best;
            var keys = Enumerable.Range(0, 10).Select(_ => rng.NextDouble()).ToArray();
            random += truth.Utility(SimulatedListUtility.TopBy(keys, 5)) / best;
        }

        var n = data.Test.Count;
        var initialHits = RandomListBaseline.Build(data.Test, 2000, 1)
            .HitRate([.. data.Test.Select(r => r.GroundTruth!.Utility([0, 1, 2, 3, 4]))], 1);
        output.WriteLine($"initial {initial / n:F3}, sort-by-r {sorted / n:F3}, greedy {greedy / n:F3}, random {random / n:F3} of the optimum; initial HR@1% {initialHits:P1}");
        initialHits.ShouldBeInRange(0.05, 0.4);
        (initial / n).ShouldBeInRange(0.75, 0.95);
        (sorted / n).ShouldBeGreaterThan(initial / n);
        (greedy / n).ShouldBeGreaterThan(0.95);
        (random / n).ShouldBeInRange(0.45, 0.75);
    }

    [Fact]
    public void Generate_InvalidOptions_ThrowsNamingTheKey()
    {
        var options = new SimulatorOptions { Candidates = 5, SlateSize = 6 };
        Should.Throw<ArgumentException>(() => Simulator.Generate(options, 1)).Message.ShouldContain("slate_size");
    }

    [Fact]
    public void Generate_Progress_ReachesOne()
    {
        var reports = new List<double>();
        Simulator.Generate(SimTestWorlds.Small(), 3, new SyncProgress(reports.Add));
        reports.ShouldNotBeEmpty();
        reports[^1].ShouldBe(1.0);
    }

    [Fact]
    public void Describe_ListsTypeEveryParamAndSeed()
    {
        var d = SimTestWorlds.Dataset.Describe();
        d[0].ShouldBe(new KeyValuePair<string, object?>("type", "simulator"));
        d.ShouldContain(new KeyValuePair<string, object?>("slate_size", 5));
        d.ShouldContain(new KeyValuePair<string, object?>("satiation_strength", 1.5));
        d.ShouldContain(new KeyValuePair<string, object?>("gmv_weight", 0.0));
        d[^1].ShouldBe(new KeyValuePair<string, object?>("seed", 7UL));
    }

    [Fact]
    public void ToTrainingData_CarriesSchemaAndSplits()
    {
        var t = SimTestWorlds.Dataset.ToTrainingData();
        t.Train.Count.ShouldBe(300);
        t.Validation.Count.ShouldBe(50);
        t.Schema.ShouldBe(SimTestWorlds.Dataset.Schema);
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }

    private static double Correlation(double[] a, double[] b)
    {
        var ma = a.Average();
        var mb = b.Average();
        var cov = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(x => (x - mb) * (x - mb)));
    }
}
