using Rerank.Abstractions;
using Rerank.Simulation;

namespace Rerank.Simulation.Tests;

/// <summary>Field-by-field equality of simulated datasets, ground truth included.</summary>
internal static class DatasetAssert
{
    public static void Equal(SimulatedDataset a, SimulatedDataset b)
    {
        a.Seed.ShouldBe(b.Seed);
        a.Schema.ShouldBe(b.Schema);
        a.Train.Count.ShouldBe(b.Train.Count);
        a.Validation.Count.ShouldBe(b.Validation.Count);
        a.Test.Count.ShouldBe(b.Test.Count);
        for (var i = 0; i < a.Train.Count; i++)
        {
            Equal(a.Train[i], b.Train[i]);
        }

        for (var i = 0; i < a.Validation.Count; i++)
        {
            Equal(a.Validation[i], b.Validation[i]);
        }

        for (var i = 0; i < a.Test.Count; i++)
        {
            Equal(a.Test[i], b.Test[i]);
        }
    }

    public static void Equal(LoggedList a, LoggedList b)
    {
        Equal(a.Request, b.Request);
        a.Exposed.ShouldBe(b.Exposed);
        a.Clicks.ShouldBe(b.Clicks);
        a.Conversions.ShouldBe(b.Conversions);
    }

    public static void Equal(RerankRequest a, RerankRequest b)
    {
        a.RequestId.ShouldBe(b.RequestId);
        a.UserId.ShouldBe(b.UserId);
        a.UserCategorical.ShouldBe(b.UserCategorical);
        a.UserDense.ShouldBe(b.UserDense);
        a.SlateSize.ShouldBe(b.SlateSize);
        a.History.Count.ShouldBe(b.History.Count);
        for (var i = 0; i < a.History.Count; i++)
        {
            Equal(a.History[i], b.History[i]);
        }

        a.Candidates.Count.ShouldBe(b.Candidates.Count);
        for (var i = 0; i < a.Candidates.Count; i++)
        {
            Equal(a.Candidates[i], b.Candidates[i]);
        }

        var ta = (SimulatedListUtility)a.GroundTruth!;
        var tb = (SimulatedListUtility)b.GroundTruth!;
        ta.Attractiveness.ToArray().ShouldBe(tb.Attractiveness.ToArray());
        ta.ConversionGivenClick.ToArray().ShouldBe(tb.ConversionGivenClick.ToArray());
        ta.Prices.ToArray().ShouldBe(tb.Prices.ToArray());
        ta.Parameters.ShouldBe(tb.Parameters);
        var slate = Enumerable.Range(0, a.SlateSize).Reverse().ToArray();
        ta.Utility(slate).ShouldBe(tb.Utility(slate));
    }

    private static void Equal(Item a, Item b)
    {
        a.Id.ShouldBe(b.Id);
        a.Categorical.ShouldBe(b.Categorical);
        a.Dense.ShouldBe(b.Dense);
        a.Priors.ShouldBe(b.Priors);
        a.Embedding.ShouldBe(b.Embedding);
        a.Price.ShouldBe(b.Price);
    }
}
