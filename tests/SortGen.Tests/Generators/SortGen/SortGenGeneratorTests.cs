using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.SortGen.Tests.Generators;

public sealed class SortGenGeneratorTests
{
    private static int[][] Lists(IGenerator generator, RerankBatch batch) =>
        [.. generator.Generate(batch, 1, Trained.Context).Select(s => s[0].Indices)];

    [Fact]
    public void Generate_OtherObjectiveWeights_OtherListsFromTheSameCheckpoint()
    {
        var batch = Trained.Batch(16);
        var clicks = Lists(Trained.Loaded<IGenerator>("generator", "alpha: 1\nbeta: 0\ngamma: 0\nlambda: 1"), batch);
        var gmv = Lists(Trained.Loaded<IGenerator>("generator", "alpha: 0\nbeta: 0\ngamma: 1\nlambda: 1"), batch);
        var again = Lists(Trained.Loaded<IGenerator>("generator", "alpha: 1\nbeta: 0\ngamma: 0\nlambda: 1"), batch);
        again.ShouldBe(clicks);
        Enumerable.Range(0, batch.Count).Count(b => !clicks[b].SequenceEqual(gmv[b])).ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Generate_EnginePath_OneForwardPassPerStepForTheWholeBatch()
    {
        var generator = Trained.Loaded<IGenerator>("generator");
        ((SortGenGenerator)generator).EnginePath = true;
        var batch = Trained.Batch(8);
        ((ITimedComponent)generator).ResetTimings();
        generator.Generate(batch, 1, Trained.Context);
        var forward = ((ITimedComponent)generator).Timings.Single(t => t.Phase == "forward");
        forward.Calls.ShouldBe(batch.SlateSizes.Max()); // all requests' expansions share one batch per step
    }

    [Theory]
    [InlineData("lambda: 1")]
    [InlineData("lambda: 0.5\nwindow: 2")]
    [InlineData("alpha: 1\nbeta: 2\ngamma: 3\nheads_per_queue: 2")]
    public void Generate_CachedPrefix_SameListsAndValuesAsFullForwardPasses(string yaml)
    {
        var batch = Trained.Batch(12, 21);
        var cached = Trained.Loaded<IGenerator>("generator", yaml).Generate(batch, 1, Trained.Context);
        var engine = Trained.Loaded<IGenerator>("generator", yaml);
        ((SortGenGenerator)engine).EnginePath = true;
        var full = engine.Generate(batch, 1, Trained.Context);
        for (var b = 0; b < batch.Count; b++)
        {
            cached[b][0].Indices.ShouldBe(full[b][0].Indices);
            cached[b][0].Score.ShouldBe(full[b][0].Score, 1e-4);
        }
    }

    [Fact]
    public void Generate_Queues_EveryItemComesFromAQueue()
    {
        var batch = Trained.Batch(8);
        var lists = Lists(Trained.Loaded<IGenerator>("generator", "queues: [ctr, ctr*cvr]"), batch);
        var expressions = new[] { "ctr", "ctr*cvr" }.Select(q => QueueExpression.TryParse(q, out _)!).ToArray();
        for (var b = 0; b < batch.Count; b++)
        {
            var owners = CandidateQueues.Build(batch, b, expressions, QueueFill.Bfs, batch.SlateSizes[b]).Owners(batch.CandidateCounts[b]);
            lists[b].ShouldAllBe(i => owners[i] >= 0);
        }
    }

    [Fact]
    public void Generate_LowerLambda_LessSimilarConsecutiveItems()
    {
        var batch = Trained.Batch(24, 17);
        var pure = Lists(Trained.Loaded<IGenerator>("generator", "lambda: 1"), batch);
        var mmr = Lists(Trained.Loaded<IGenerator>("generator", "lambda: 0.05\nwindow: 0"), batch);
        Similarity(batch, mmr).ShouldBeLessThan(Similarity(batch, pure));
    }

    [Fact]
    public void Generate_SlateLongerThanMaxLength_ClearError()
    {
        var data = Trained.Data;
        var request = data.Requests(20, 5).First(r => r.Candidates.Count >= 6);
        var longSlate = new RerankRequest
        {
            RequestId = request.RequestId,
            UserCategorical = request.UserCategorical,
            History = request.History,
            Candidates = request.Candidates,
            SlateSize = 6,
        };
        var batch = RerankBatch.Create(data.Schema, [longSlate]);
        Should.Throw<ComponentException>(() => Trained.Loaded<IGenerator>("generator").Generate(batch, 1, Trained.Context))
            .Message.ShouldContain("max_length 5");
    }

    [Fact]
    public void Options_BadQueue_IsAnError()
    {
        new SortGenOptions { Queues = ["ctr+"] }.Validate().ShouldContain(e => e.Contains("empty factor"));
    }

    /// <summary>Mean pairwise cosine of the items within each list.</summary>
    private static double Similarity(RerankBatch batch, int[][] lists)
    {
        var e = batch.EmbeddingWidth;
        double total = 0;
        var pairs = 0;
        for (var b = 0; b < lists.Length; b++)
        {
            for (var x = 0; x < lists[b].Length; x++)
            {
                for (var y = x + 1; y < lists[b].Length; y++)
                {
                    var u = batch.Embeddings.AsSpan(batch.CandidateOffset(b, lists[b][x]) * e, e);
                    var v = batch.Embeddings.AsSpan(batch.CandidateOffset(b, lists[b][y]) * e, e);
                    double dot = 0, nu = 0, nv = 0;
                    for (var k = 0; k < e; k++)
                    {
                        dot += u[k] * v[k];
                        nu += u[k] * u[k];
                        nv += v[k] * v[k];
                    }

                    total += dot / Math.Sqrt(nu * nv);
                    pairs++;
                }
            }
        }

        return total / pairs;
    }
}
