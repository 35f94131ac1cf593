using Rerank.Abstractions;

namespace Rerank.Simulation.Logging;

/// <summary>
/// The simulator's test requests as logged impressions for off-policy evaluation: each request logged by
/// <see cref="Simulator.LogTest"/> (the same slates and feedback <c>rerank simulate --format</c> exports), with its logging
/// policy in closed form (<see cref="Policy"/>) and the GMV of each shown position.
/// </summary>
public static class SimulatedImpressions
{
    /// <summary>
    /// One impression per test request of <paramref name="dataset"/>, aligned with <see cref="SimulatedDataset.Test"/>;
    /// deterministic under the dataset's seed, and drawn from streams of their own, so nothing else the dataset gives changes.
    /// </summary>
    public static IReadOnlyList<LoggedImpression> Test(SimulatedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var logged = Simulator.LogTest(dataset);
        var temperature = dataset.Options.LoggingTemperature;
        return [.. logged.Select(l => new LoggedImpression(l, Policy(l.Request, temperature, dataset.Seed), Gmv(l)))];
    }

    /// <summary>
    /// The policy the simulator logs <paramref name="request"/> with: Plackett–Luce over s_i = log ctr prior_i at the
    /// logging temperature, filling the request's slate size (its Monte Carlo seed, used only where the exact marginals are
    /// too large, derives from <paramref name="seed"/> and the request id).
    /// </summary>
    public static PlackettLuceLoggingPolicy Policy(RerankRequest request, double temperature, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scores = new double[request.Candidates.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Log(request.Candidates[i].Priors[0]);
        }

        return new PlackettLuceLoggingPolicy(scores, temperature, request.SlateSize, PolicySeed(seed, request.RequestId));
    }

    /// <summary>
    /// The Monte Carlo seed of the logging policy of request <paramref name="requestId"/> under <paramref name="seed"/>: the
    /// simulator's, and a log's declared policy (<c>logging_policy</c>), so both give the same marginals for the same request.
    /// </summary>
    public static ulong PolicySeed(ulong seed, string requestId) => StableHash.Mix(seed, StableHash.Of("test-logging-policy/" + requestId));

    /// <summary>GMV at each shown position: its conversion times the item's price (as the export's <c>gmv</c> column).</summary>
    private static float[] Gmv(LoggedList logged)
    {
        var gmv = new float[logged.Exposed.Length];
        for (var t = 0; t < gmv.Length; t++)
        {
            gmv[t] = logged.Conversions[t] * logged.Request.Candidates[logged.Exposed[t]].Price;
        }

        return gmv;
    }
}
