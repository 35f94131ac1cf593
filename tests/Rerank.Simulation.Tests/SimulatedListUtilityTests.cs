using Rerank.Simulation;
using Rerank.Testing;

namespace Rerank.Simulation.Tests;

public sealed class SimulatedListUtilityTests
{
    private static readonly ListModelParameters Defaults = new(1.5, 0.8, 0.3, 0.5, 1.5, 1.0, 0.0, 0.0, 1.0);

    public static TheoryData<int> Cases()
    {
        using var doc = GoldenFiles.Load("list_model_vectors.json");
        var data = new TheoryData<int>();
        for (var i = 0; i < doc.RootElement.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Outcome_GoldenVectors_MatchWithinTolerance(int index)
    {
        using var doc = GoldenFiles.Load("list_model_vectors.json");
        var c = doc.RootElement.GetProperty("cases")[index];
        var candidates = c.GetProperty("candidates").EnumerateArray().ToList();
        var truth = new SimulatedListUtility(
            Defaults,
            [.. candidates.Select(x => x.GetProperty("e").Doubles())],
            [.. candidates.Select(x => x.GetProperty("c").GetInt32())],
            [.. candidates.Select(x => x.GetProperty("p").GetDouble())],
            [.. candidates.Select(x => x.GetProperty("r").GetDouble())],
            [.. candidates.Select(x => x.GetProperty("g").GetDouble())]);
        var outcome = truth.Outcome(c.GetProperty("order").Ints());
        Close(outcome.Click, c.GetProperty("click").Doubles());
        Close(outcome.Conversion, c.GetProperty("conversion").Doubles());
        Close(outcome.Gmv, c.GetProperty("gmv").Doubles());
        outcome.Utility.ShouldBe(outcome.Click.Sum(), 1e-12);
    }

    [Fact]
    public void Utility_Weights_AddClicksConversionsAndScaledGmv()
    {
        var p = Defaults with { ClickWeight = 5, ConversionWeight = 1, GmvWeight = 1, MeanPrice = 20 };
        var truth = Two(p);
        int[] slate = [1, 0];
        var o = truth.Outcome(slate);
        var expected = (5 * o.Click.Sum()) + o.Conversion.Sum() + (o.Gmv.Sum() / 20);
        truth.Utility(slate).ShouldBe(expected, 1e-12);
        o.Utility.ShouldBe(expected, 1e-12);
    }

    [Fact]
    public void Outcome_HandComputedPair_SatiationAndAnchoring()
    {
        // Two same-category items, cos = 0.6; the pricier first: b = clip(1 + 0.3·tanh(log 2)) at position 2.
        var truth = Two(Defaults);
        var o = truth.Outcome([0, 1]);
        o.Click[0].ShouldBe(0.5, 1e-12);
        var click2 = 0.4 * Math.Exp(-1.5 * 0.6) / Math.Log2(3);
        o.Click[1].ShouldBe(click2, 1e-12);
        o.Conversion[1].ShouldBe(click2 * 0.2 * (1 + (0.3 * Math.Tanh(Math.Log(2)))), 1e-12);
        o.Conversion[0].ShouldBe(0.5 * 0.1, 1e-12);
        truth.Outcome([1, 0]).Conversion[1].ShouldBe(0.5 * Math.Exp(-1.5 * 0.6) / Math.Log2(3) * 0.1, 1e-12);
    }

    [Fact]
    public void Outcome_HandComputedTriple_ComplementarityBoostsLaterComplementsOnly()
    {
        // Categories 1, 2, 5; complements(2) = {1}, complements(5) = {1, 2}; orthogonal embeddings (no satiation), distinct
        // categories (no anchoring); ζ = 1.5, cap = 0.5.
        var p = Defaults with { Complementarity = 1.5, ComplementarityCap = 0.5 };
        var truth = Three(p);
        var o = truth.Outcome([0, 1, 2]);
        o.Click[0].ShouldBe(0.2, 1e-15);

        // m_2 = 1 + min(0.5, 1.5·0.2) = 1.3 (below the cap).
        var click1 = 0.3 / Math.Log2(3) * 1.3;
        o.Click[1].ShouldBe(click1, 1e-15);

        // m_3 = 1 + min(0.5, 1.5·(0.2 + click1)) = 1.5 (capped: 1.5·0.446 = 0.669).
        (1.5 * (0.2 + click1)).ShouldBeGreaterThan(0.5);
        o.Click[2].ShouldBe(0.4 / Math.Log2(4) * 1.5, 1e-15);
        o.Conversion[2].ShouldBe(o.Click[2] * 0.1, 1e-15);
        truth.Utility([0, 1, 2]).ShouldBe(0.2 + click1 + 0.3, 1e-15);

        // Reversed: category 1 has no complements and category 2's complement (1) comes later, so nothing is boosted.
        var reversed = truth.Outcome([2, 1, 0]);
        Exact(reversed.Click, [0.4, 0.3 / Math.Log2(3), 0.2 / Math.Log2(4)]);

        // ζ = 0: no effect whatever the graph.
        Exact(Three(Defaults).Outcome([0, 1, 2]).Click, [0.2, 0.3 / Math.Log2(3), 0.4 / Math.Log2(4)]);
    }

    [Fact]
    public void Outcome_HandComputedTriple_PatienceRaisesThePositionDecayToTheGamma()
    {
        // Orthogonal embeddings, distinct categories: only β_t = 1/log2(t + 1)^γ acts. γ = 2: β = 1, 1/log2(3)², 1/4.
        Exact(Three(Defaults with { Patience = 2.0 }).Outcome([0, 1, 2]).Click, [0.2, 0.3 / (Math.Log2(3) * Math.Log2(3)), 0.4 / 4]);

        // γ = 0.5: β_3 = 1/√2; γ = 1 is the plain β_t, bit for bit.
        Exact(Three(Defaults with { Patience = 0.5 }).Outcome([0, 1, 2]).Click, [0.2, 0.3 / Math.Sqrt(Math.Log2(3)), 0.4 / Math.Sqrt(2)]);
        var p = Defaults with { Patience = 1.0 };
        for (var t = 0; t < 10; t++)
        {
            p.Bias(t).ShouldBe(ListModelParameters.PositionBias(t));
        }
    }

    [Fact]
    public void For_UserEffects_ScaleEtaAndSetGamma()
    {
        // η_u = η·exp(σ·z_u): 1.5·exp(0.5); γ_u carried as is; multipliers of exactly 1 give the shared parameters.
        var o = new SimulatorOptions();
        var p = ListModelParameters.For(o, 20.0, Math.Exp(0.5), 2.0);
        p.Satiation.ShouldBe(1.5 * Math.Exp(0.5), 1e-15);
        p.Patience.ShouldBe(2.0);
        p.Bias(3).ShouldBe(1.0 / (Math.Log2(5) * Math.Log2(5)), 1e-15);
        ListModelParameters.For(o, 20.0, 1.0, 1.0).ShouldBe(ListModelParameters.From(o, 20.0));

        // The pair of the hand-computed satiation test with η_u = 1.5·0.5: click_2 = 0.4·exp(−0.75·0.6)/log2 3.
        var low = Two(Defaults with { Satiation = 1.5 * 0.5 });
        low.Outcome([0, 1]).Click[1].ShouldBe(0.4 * Math.Exp(-0.75 * 0.6) / Math.Log2(3), 1e-15);
    }

    [Fact]
    public void Optimum_Complementarity_PutsAComplementFirstWhereGreedyDoesNot()
    {
        // ζ = 10, cap = 1: greedy takes the most attractive item (2) first and gains nothing from complements; the optimum
        // opens with item 1, whose category 2 complements item 2's, doubling item 2's click: 0.3 + 0.4·2/log2 3.
        var truth = Three(Defaults with { Complementarity = 10.0, ComplementarityCap = 1.0 });
        var (greedy, greedyValue) = truth.Greedy(2);
        greedy.ShouldBe([2, 1]);
        greedyValue.ShouldBe(0.4 + (0.3 / Math.Log2(3)), 1e-15);
        var (best, value) = truth.Optimum(2);
        best.ShouldBe([1, 2]);
        value.ShouldBe(0.3 + (0.8 / Math.Log2(3)), 1e-15);
    }

    [Fact]
    public void Utility_RepeatedCandidate_Throws()
    {
        var e = Should.Throw<ArgumentException>(() => Two(Defaults).Utility([1, 1]));
        e.Message.ShouldContain("repeats candidate 1");
    }

    [Fact]
    public void Utility_OutOfRangeCandidate_Throws()
    {
        Should.Throw<ArgumentException>(() => Two(Defaults).Utility([0, 2])).Message.ShouldContain("2 candidates");
    }

    [Fact]
    public void Greedy_SmallRequest_MatchesBestFirstChoice()
    {
        var truth = Two(Defaults);
        var (slate, value) = truth.Greedy(2);
        slate.ShouldBe([0, 1]);
        value.ShouldBe(truth.Utility(slate), 1e-15);
    }

    private static SimulatedListUtility Two(ListModelParameters p) => new(
        p,
        [[1.0, 0.0], [0.6, 0.8]],
        [3, 3],
        [20.0, 10.0],
        [0.5, 0.4],
        [0.1, 0.2]);

    private static SimulatedListUtility Three(ListModelParameters p) => new(
        p,
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        [1, 2, 5],
        [10.0, 10.0, 10.0],
        [0.2, 0.3, 0.4],
        [0.1, 0.1, 0.1],
        [[], [], [1], [], [], [1, 2]]);

    private static void Exact(double[] actual, double[] expected)
    {
        actual.Length.ShouldBe(expected.Length);
        for (var t = 0; t < actual.Length; t++)
        {
            actual[t].ShouldBe(expected[t], 1e-15, $"position {t}");
        }
    }

    private static void Close(double[] actual, double[] expected)
    {
        actual.Length.ShouldBe(expected.Length);
        for (var t = 0; t < actual.Length; t++)
        {
            actual[t].ShouldBe(expected[t], 1e-4 * Math.Max(1, Math.Abs(expected[t])), $"position {t}");
        }
    }
}
