using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Testing;
using Xunit.Abstractions;

namespace Rerank.Plugins.Onnx.Tests;

/// <summary>
/// The import path without Python: examples/pytorch-prm/prm.onnx (a PRM trained and exported by PyTorch) against the
/// scores PyTorch computed for 20 test requests (expected.json), all in one padded batch as a server would run them.
/// </summary>
public sealed class PyTorchImportTests(ITestOutputHelper output)
{
    private static readonly string Example = Path.Combine(RepoPaths.Root, "examples", "pytorch-prm");

    // The simulator's fields: what the example's data carries (vocabulary sizes do not enter the features).
    private static readonly FeatureSchema Schema = new(
        [
            new FeatureField("user_id", FeatureKind.Categorical, FeatureSide.User, 1000),
            new FeatureField("user_segment", FeatureKind.Categorical, FeatureSide.User, 16),
            new FeatureField("item_id", FeatureKind.Categorical, FeatureSide.Item, 1000),
            new FeatureField("category", FeatureKind.Categorical, FeatureSide.Item, 64),
            new FeatureField("log_price", FeatureKind.Dense, FeatureSide.Item, 1),
        ],
        ["ctr", "cvr"],
        16);

    [Fact]
    public void PyTorchPrm_OnOnnxRuntime_MatchesTorchScoresAndSlates()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Example, "expected.json")));
        var requests = document.RootElement.GetProperty("requests").EnumerateArray().Select(Request).ToList();
        var expected = document.RootElement.GetProperty("requests").EnumerateArray()
            .Select(r => r.GetProperty("torch_scores").EnumerateArray().Select(s => s.GetSingle()).ToArray()).ToList();
        var scorer = Rerank.Conformance.ComponentBuilder.Build<IStepScorer>(new OnnxPlugin(), "scorer", OnnxFixtures.FeaturesAndMask, Schema, 7);
        ((ITrainable)scorer).Load(Path.Combine(Example, "prm.onnx"));
        var batch = RerankBatch.Create(Schema, requests);
        var n = batch.MaxCandidates;
        var scores = new float[batch.Count * n];
        using (var session = scorer.Begin(batch, new RerankContext(1)))
        {
            session.Score(new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []), scores);
        }

        var worst = 0.0;
        for (var b = 0; b < batch.Count; b++)
        {
            expected[b].Length.ShouldBe(requests[b].Candidates.Count);
            for (var i = 0; i < expected[b].Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(scores[(b * n) + i] - expected[b][i]));
            }

            Top(scores.AsSpan(b * n, expected[b].Length).ToArray(), requests[b].SlateSize)
                .ShouldBe(Top(expected[b], requests[b].SlateSize), $"request {b}: the slate greedy decoding picks");
        }

        output.WriteLine($"prm.onnx on ONNX Runtime vs PyTorch, 20 requests in one padded batch: max abs difference {worst:G3}");
        batch.Count.ShouldBe(20);
        batch.CandidateCounts.Distinct().Count().ShouldBeGreaterThan(1, "the batch is padded");
        worst.ShouldBeLessThan(1e-4);
    }

    private static int[] Top(float[] scores, int count) =>
        [.. scores.Select((s, i) => (s, i)).OrderByDescending(x => x.s).ThenBy(x => x.i).Take(count).Select(x => x.i)];

    private static RerankRequest Request(JsonElement r) => new()
    {
        RequestId = r.GetProperty("request_id").GetString()!,
        UserId = r.GetProperty("user_id").ToString(),
        UserCategorical = [.. r.GetProperty("user_categorical").EnumerateArray().Select(v => v.GetInt32())],
        SlateSize = r.GetProperty("slate_size").GetInt32(),
        Candidates = [.. r.GetProperty("candidates").EnumerateArray().Select(c => new Item
        {
            Id = c.GetProperty("id").ToString(),
            Categorical = [.. c.GetProperty("categorical").EnumerateArray().Select(v => v.GetInt32())],
            Dense = Floats(c.GetProperty("dense")),
            Priors = Floats(c.GetProperty("priors")),
            Embedding = Floats(c.GetProperty("embedding")),
            Price = c.GetProperty("price").GetSingle(),
        })],
    };

    private static float[] Floats(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetSingle())];
}
