using Rerank.Runtime.Randomness;
using Rerank.Simulation.Datasets;

namespace Rerank.Simulation.Logs;

/// <summary>Which split each request of a log falls in.</summary>
internal static class LogSplit
{
    public const byte Train = 0;
    public const byte Validation = 1;
    public const byte Test = 2;

    /// <summary>
    /// By time: requests ordered by timestamp (ties in file order), the last round(n·test) are test and the round(n·validation)
    /// before them validation. By request: a uniform draw from the request id under <paramref name="seed"/> below test is
    /// test, below test + validation validation; the same id always falls in the same split.
    /// </summary>
    public static byte[] Assign(IReadOnlyList<(string Id, long? Timestamp)> requests, LogSplitOptions options, ulong seed)
    {
        var splits = new byte[requests.Count];
        if (options.By == LogSplitBy.Request)
        {
            for (var i = 0; i < splits.Length; i++)
            {
                var u = SeededRandom.For(seed, "logs/split/" + requests[i].Id).NextDouble();
                splits[i] = u < options.Test ? Test : u < options.Test + options.Validation ? Validation : Train;
            }

            return splits;
        }

        var order = Enumerable.Range(0, requests.Count).OrderBy(i => requests[i].Timestamp ?? long.MinValue).ThenBy(i => i).ToArray();
        var test = (int)Math.Round(requests.Count * options.Test, MidpointRounding.AwayFromZero);
        var validation = Math.Min((int)Math.Round(requests.Count * options.Validation, MidpointRounding.AwayFromZero), requests.Count - test);
        for (var k = 0; k < order.Length; k++)
        {
            var fromEnd = order.Length - k;
            splits[order[k]] = fromEnd <= test ? Test : fromEnd <= test + validation ? Validation : Train;
        }

        return splits;
    }
}
