using Rerank.Abstractions;

namespace Rerank.Plugins.DeGRe.Tests.Mining;

public sealed class BeamMinerTests
{
    [Theory]
    [InlineData(10, 4, 3)]
    [InlineData(7, 64, 2)]
    [InlineData(33, 5, 4)]
    public void ShardRange_AllShards_CoverEveryRequestOnceOnChunkBoundaries(int total, int chunk, int shards)
    {
        var next = 0;
        for (var i = 0; i < shards; i++)
        {
            var (start, count) = BeamMiner.ShardRange(total, chunk, i, shards);
            start.ShouldBe(next);
            (start % chunk == 0 || count == 0).ShouldBeTrue();
            next = start + count;
        }

        next.ShouldBe(total);
    }

    [Fact]
    public void ShardRange_ShardOutOfRange_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => BeamMiner.ShardRange(10, 2, 2, 2)).Message.ShouldContain("2/2");

    [Fact]
    public void Mine_TwoShards_ConcatenateToTheSingleRunByteForByte()
    {
        var data = Fixtures.Data.Training(24, 6);
        var teacher = Fixtures.TrainedEvaluator(data, 1);
        var generator = Generator(teacher);
        var whole = MineBytes(generator, data, 0, 1);
        var merged = MineBytes(generator, data, 0, 2).Concat(MineBytes(generator, data, 1, 2)).ToArray();
        merged.ShouldBe(whole);
        MinedFile.Read(new MemoryStream(whole)).Count.ShouldBe(data.Train.Count);
    }

    [Fact]
    public void Mine_BeamThree_SoftLabelsAndWeightsNormalised()
    {
        var data = Fixtures.Data.Training(12, 6);
        var teacher = Fixtures.TrainedEvaluator(data, 1);
        var requests = data.Train.Select(l => l.Request).ToArray();
        var mined = BeamMiner.Mine(teacher, data.Schema, requests, 0, requests.Length, new MiningOptions(3, 0, 0.5, 4), CancellationToken.None);
        foreach (var m in mined)
        {
            var b = m.Lists.Count;
            m.Lists.Sum(l => l.Weight).ShouldBe(b, 1e-4); // eq. 10, multiplied by B
            m.Lists.Select(l => l.Value).ShouldBeInOrder(SortDirection.Descending);
            foreach (var list in m.Lists)
            {
                list.Items.Distinct().Count().ShouldBe(list.Items.Length);
                for (var t = 0; t < list.Items.Length; t++)
                {
                    var q = list.Soft.AsSpan(t * m.Candidates, m.Candidates).ToArray();
                    q.Sum().ShouldBe(1f, 1e-4f); // eq. 9
                    for (var u = 0; u < t; u++)
                    {
                        q[list.Items[u]].ShouldBe(0f);
                    }
                }
            }
        }
    }

    [Fact]
    public void Mine_BeamOne_EqualsGreedyUnderTheEvaluator()
    {
        var data = Fixtures.Data.Training(8, 6);
        var teacher = Fixtures.TrainedEvaluator(data, 1);
        var requests = data.Train.Select(l => l.Request).ToArray();
        var mined = BeamMiner.Mine(teacher, data.Schema, requests, 0, requests.Length, new MiningOptions(1, 0, 1, 4), CancellationToken.None);
        var batch = RerankBatch.Create(data.Schema, requests);
        using var session = teacher.Begin(batch, new RerankContext(1));
        for (var b = 0; b < requests.Length; b++)
        {
            var prefix = new List<int>();
            var n = batch.MaxCandidates;
            for (var t = 0; t < requests[b].SlateSize; t++)
            {
                var scores = new float[n];
                session.Score(new StepRows(t, [b], [-1], [.. prefix]), scores);
                prefix.Add(Array.IndexOf(scores, scores.Max()));
            }

            mined[b].Lists.Single().Items.ShouldBe(prefix.ToArray());
        }
    }

    private static DeGReGenerator Generator(LookaheadEvaluator teacher)
    {
        var generator = new DeGReGenerator(Fixtures.TinyGenerator(), Fixtures.Context("generator"));
        generator.UseTeacher(teacher);
        return generator;
    }

    private static byte[] MineBytes(DeGReGenerator generator, TrainingData data, int shard, int shards)
    {
        using var stream = new MemoryStream();
        generator.Mine(data, shard, shards, stream, new TrainingContext(1));
        return stream.ToArray();
    }
}
