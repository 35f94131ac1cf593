using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Rerank.Abstractions;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// Mined supervision shared in one process by generators that mine the same requests with the same teacher and the same
/// mining options (e.g. the loss ablations of one beam width): the search is deterministic, so its result is reused.
/// </summary>
internal static class MiningCache
{
    private static readonly ConditionalWeakTable<LookaheadEvaluator, ConcurrentDictionary<string, List<MinedRequest>>> Cache = new();

    /// <summary>The mined requests for this teacher, options and request set, mining them on first use.</summary>
    public static List<MinedRequest> GetOrMine(LookaheadEvaluator teacher, MiningOptions options, IReadOnlyList<RerankRequest> requests, Func<List<MinedRequest>> mine)
    {
        var key = string.Join('|', options, requests.Count, requests.Count == 0 ? "" : requests[0].RequestId, requests.Count == 0 ? "" : requests[^1].RequestId);
        var entries = Cache.GetOrCreateValue(teacher);
        lock (entries)
        {
            if (!entries.TryGetValue(key, out var mined))
            {
                mined = mine();
                entries[key] = mined;
            }

            return mined;
        }
    }
}
