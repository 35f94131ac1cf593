using System.Text.Json;
using Rerank.Runtime.Randomness;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logging;
using Rerank.Simulation.Logs;

namespace Rerank.Simulation.Tests.Logging;

/// <summary>
/// The simulator's test impressions carry the policy its logger draws from: the policy's prefix probabilities equal the
/// running products of the <c>propensity</c> column <c>rerank simulate --format jsonl</c> exports, its slate probabilities
/// match the logger's own Gumbel top-L draws, and the impressions are the logged test requests, deterministically.
/// </summary>
public sealed class SimulatedImpressionsTests : IDisposable
{
    private static readonly SimulatorOptions Small = new() { Candidates = 6, SlateSize = 3, EmbeddingDim = 4, TrainRequests = 10, ValidationRequests = 5, TestRequests = 40 };
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-impressions-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Test_PolicyPrefixProbabilities_EqualTheExportedPropensityColumns()
    {
        var dataset = Simulator.Generate(Small, 11);
        var path = Path.Combine(_folder, "impressions.jsonl");
        SimulatedLogs.Write(dataset, path, LogFormat.Jsonl);
        var exported = ExportedPropensities(path);

        var impressions = SimulatedImpressions.Test(dataset);

        impressions.Count.ShouldBe(40);
        foreach (var impression in impressions)
        {
            var (propensities, slate) = exported[impression.Logged.Request.RequestId];
            var running = 1.0;
            var expected = propensities.Select(p => running *= p).ToArray();
            impression.Policy.PrefixProbabilities(impression.Logged.Exposed)!.ShouldBe(expected, 1e-12);
            impression.Policy.SlateProbability(impression.Logged.Exposed)!.Value.ShouldBe(slate, 1e-12);
        }
    }

    [Fact]
    public void Policy_SlateProbabilities_MatchTheLoggersGumbelDraws()
    {
        var dataset = Simulator.Generate(new SimulatorOptions { Candidates = 4, SlateSize = 2, EmbeddingDim = 4, TrainRequests = 10, ValidationRequests = 5, TestRequests = 5 }, 3);
        var request = dataset.Test[0];
        var policy = SimulatedImpressions.Policy(request, dataset.Options.LoggingTemperature, dataset.Seed);
        var logits = request.Candidates.Select(c => Math.Log(c.Priors[0])).ToArray();
        var rng = new SeededRandom(5);
        const int draws = 200_000;
        var counts = new Dictionary<(int, int), int>();
        for (var d = 0; d < draws; d++)
        {
            var top = Simulator.TopByGumbel(rng, logits, 1.0 / dataset.Options.LoggingTemperature, 2);
            counts[(top[0], top[1])] = counts.GetValueOrDefault((top[0], top[1])) + 1;
        }

        var total = 0.0;
        for (var a = 0; a < 4; a++)
        {
            for (var b = 0; b < 4; b++)
            {
                if (a == b)
                {
                    continue;
                }

                var p = policy.SlateProbability([a, b])!.Value;
                total += p;

                // Five standard errors of a frequency over 200 000 draws.
                var frequency = counts.GetValueOrDefault((a, b)) / (double)draws;
                Math.Abs(frequency - p).ShouldBeLessThan(5 * Math.Sqrt(p * (1 - p) / draws) + 1e-9, $"slate ({a}, {b})");
            }
        }

        total.ShouldBe(1.0, 1e-12);
    }

    [Fact]
    public void Test_SameDataset_SameImpressionsAlignedWithTheTestRequests()
    {
        var dataset = Simulator.Generate(Small, 11);

        var first = SimulatedImpressions.Test(dataset);
        var second = SimulatedImpressions.Test(dataset);

        first.Select(i => i.Logged.Request).ShouldBe(dataset.Test);
        first.Select(i => string.Join(",", i.Logged.Exposed)).ShouldBe(second.Select(i => string.Join(",", i.Logged.Exposed)));
        first.Select(i => string.Join(",", i.Logged.Clicks)).ShouldBe(second.Select(i => string.Join(",", i.Logged.Clicks)));
        var gmv = first.SelectMany(i => i.Logged.Exposed.Select((item, t) => (Expected: i.Logged.Conversions[t] * i.Logged.Request.Candidates[item].Price, Actual: i.Gmv![t])));
        gmv.ShouldAllBe(g => g.Expected == g.Actual);
    }

    /// <summary>Per test request: the exported <c>propensity</c> of each shown position (in position order) and its <c>slate_propensity</c>.</summary>
    private static Dictionary<string, (double[] Propensities, double Slate)> ExportedPropensities(string path)
    {
        var rows = new Dictionary<string, List<(int Position, double Propensity, double Slate)>>();
        foreach (var line in File.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            var row = doc.RootElement;
            if (row.GetProperty("split").GetString() != "test" || row.GetProperty("position").ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var id = row.GetProperty("request_id").GetString()!;
            if (!rows.TryGetValue(id, out var list))
            {
                rows[id] = list = [];
            }

            list.Add((row.GetProperty("position").GetInt32(), row.GetProperty("propensity").GetDouble(), row.GetProperty("slate_propensity").GetDouble()));
        }

        return rows.ToDictionary(kv => kv.Key, kv => (kv.Value.OrderBy(r => r.Position).Select(r => r.Propensity).ToArray(), kv.Value[0].Slate));
    }
}
