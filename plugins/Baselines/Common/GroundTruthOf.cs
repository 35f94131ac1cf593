using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Reads a request's simulator ground truth, or explains why the oracle cannot run without it.</summary>
internal static class GroundTruthOf
{
    /// <summary>The ground truth of every request of <paramref name="batch"/>; throws on the first request without one.</summary>
    public static IListUtility[] All(RerankBatch batch, string component)
    {
        var truths = new IListUtility[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            truths[b] = Of(batch.Requests[b], component);
        }

        return truths;
    }

    /// <summary>The ground truth of <paramref name="request"/>.</summary>
    public static IListUtility Of(RerankRequest request, string component) =>
        request.GroundTruth ?? throw new ComponentException(
            $"{component}: request '{request.RequestId}' has no ground truth; the oracle needs simulator data " +
            "(dataset type: simulator), which knows the exact expected utility of every list");
}
