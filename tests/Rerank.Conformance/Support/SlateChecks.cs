using System.Globalization;
using Rerank.Abstractions;
using Shouldly;

namespace Rerank.Conformance;

/// <summary>The slate contract: real candidates only, no repeats, the right length, between 1 and K distinct slates.</summary>
public static class SlateChecks
{
    /// <summary>How long each slate must be.</summary>
    public enum Length
    {
        /// <summary>Exactly the request's L.</summary>
        ExactlyL,

        /// <summary>At least L (e.g. a full ranking for a later truncate or diversify stage).</summary>
        AtLeastL,
    }

    /// <summary>Checks every slate of every request of <paramref name="batch"/>; failures name the component, request and slate.</summary>
    public static void Check(string component, RerankBatch batch, IReadOnlyList<Slate>[] slates, int count, Length length)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        slates.Length.ShouldBe(batch.Count, $"{component} must return the slates of every request");
        for (var b = 0; b < batch.Count; b++)
        {
            var id = batch.Requests[b].RequestId;
            slates[b].ShouldNotBeNull($"{component}: request '{id}' has no slate list");
            slates[b].Count.ShouldBeInRange(1, count, $"{component}: request '{id}' must get between 1 and K = {count} slates");
            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < slates[b].Count; k++)
            {
                var slate = slates[b][k];
                var where = string.Create(CultureInfo.InvariantCulture, $"{component}: request '{id}', slate {k} {slate}");
                CheckOne(where, slate.Indices, batch.CandidateCounts[b], batch.SlateSizes[b], length);
                keys.Add(string.Join(',', slate.Indices)).ShouldBeTrue($"{where} repeats an earlier slate of the request");
            }
        }
    }

    /// <summary>Checks one slate: indices of real candidates, no repeats, the right length.</summary>
    public static void CheckOne(string where, IReadOnlyList<int> indices, int candidates, int slateSize, Length length)
    {
        ArgumentNullException.ThrowIfNull(indices);
        foreach (var i in indices)
        {
            i.ShouldBeInRange(0, candidates - 1, $"{where} indexes a slot that is not a real candidate (N = {candidates})");
        }

        indices.Distinct().Count().ShouldBe(indices.Count, $"{where} repeats an item");
        if (length == Length.ExactlyL)
        {
            indices.Count.ShouldBe(slateSize, $"{where} must have exactly L = {slateSize} items");
        }
        else
        {
            indices.Count.ShouldBeGreaterThanOrEqualTo(slateSize, $"{where} must have at least L = {slateSize} items");
        }
    }
}
