using System.Text.Json.Nodes;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>
/// <c>rerank run --shard i/n</c> and <c>rerank merge</c> in process: the quickstart (three seeds, a trained point-wise
/// DNN, two tuned pipelines, <c>compare_to</c>) trained once, evaluated in three shards, merged: the same results as the
/// unsharded run to the last digit, latencies excepted.
/// </summary>
public sealed class ShardedRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-sharded-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(500, 64, 3)]
    [InlineData(500, 64, 1)]
    [InlineData(10, 64, 3)]
    [InlineData(1000, 7, 4)]
    public void Slice_ConsecutiveShards_TileTheRequestsOnBatchBoundaries(int requests, int batchSize, int shards)
    {
        var next = 0;
        for (var i = 0; i < shards; i++)
        {
            var (start, end) = new ShardSpec(i, shards).Slice(requests, batchSize);
            start.ShouldBe(next);
            (start % batchSize == 0 || start == requests).ShouldBeTrue($"shard {i} starts at {start}, inside a batch of {batchSize}");
            end.ShouldBeGreaterThanOrEqualTo(start);
            next = end;
        }

        next.ShouldBe(requests);
    }

    [Theory]
    [InlineData("0/3", 0, 3)]
    [InlineData("2/3", 2, 3)]
    public void Parse_Valid(string text, int index, int count) => ShardSpec.Parse(text).ShouldBe(new ShardSpec(index, count));

    [Theory]
    [InlineData("3/3")]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void Parse_Invalid_SaysTheForm(string text) =>
        Should.Throw<ArgumentException>(() => ShardSpec.Parse(text)).Message.ShouldContain("must be i/n with 0 ≤ i < n");

    [Fact]
    public void Quickstart_TrainedOnceThreeShardsMerged_EqualsTheUnshardedRunExceptLatencies()
    {
        var spec = Quickstart();
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));
        var runner = new ExperimentRunner(catalog, SilentReporter.Instance);
        var whole = runner.Run(spec, Path.Combine(_folder, "whole"));

        var checkpoints = Path.Combine(_folder, "shared", "checkpoints");
        runner.Train(spec, checkpoints);
        var shards = Enumerable.Range(0, 3)
            .Select(i => runner.RunShard(spec, new ShardSpec(i, 3), checkpoints, []).Write(Path.Combine(_folder, $"shard-{i}")))
            .Reverse() // the merge orders them itself
            .Select(ShardResult.Read)
            .ToList();
        shards.SelectMany(s => s.Seeds).Select(s => s.End - s.Start).Sum().ShouldBe(3 * 500, "3 seeds × 500 test requests, each in one shard");
        var merged = runner.Run(spec, Path.Combine(_folder, "merged"), new RunScope { Checkpoints = checkpoints, Merge = shards });

        var a = WithoutLatencies(JsonNode.Parse(ResultWriters.Json(whole))!);
        var b = WithoutLatencies(JsonNode.Parse(ResultWriters.Json(merged))!);
        b.ToJsonString().ShouldBe(a.ToJsonString());
        whole.Rows.Select(r => r.Pipeline).ShouldBe(["initial", "random", "pointwise", "mmr", "dpp", "beam-oracle"]);
        merged.Graphs.ShouldBe(whole.Graphs);
        merged.Rows.Select(ResultWriters.TuningNote).ShouldBe(whole.Rows.Select(ResultWriters.TuningNote));
        merged.Rows.ShouldAllBe(r => r["latency_p50_ms"] != null, "latencies are the shards' own");

        // The merge scores the shards' slates (it does not run the pipelines again): one slate changed changes the result.
        var first = shards.Single(s => s.Shard.Index == 0);
        var seed = first.Seeds[0];
        var initial = seed.Pipelines.Single(p => p.Pipeline == "initial");
        Slate[] changed = [new([.. initial.Slates[0].Indices.Reverse()], initial.Slates[0].Score), .. initial.Slates.Skip(1)];
        var tampered = first with { Seeds = [seed with { Pipelines = [.. seed.Pipelines.Select(p => p == initial ? p with { Slates = changed } : p)] }, .. first.Seeds.Skip(1)] };
        var other = runner.Run(spec, Path.Combine(_folder, "tampered"), new RunScope { Checkpoints = checkpoints, Merge = [.. shards.Select(s => s == first ? tampered : s)] });
        other.Rows.Single(r => r.Pipeline == "initial")["utility"].ShouldNotBe(whole.Rows.Single(r => r.Pipeline == "initial")["utility"]);
        other.Rows.Single(r => r.Pipeline == "mmr")["utility"].ShouldBe(whole.Rows.Single(r => r.Pipeline == "mmr")["utility"]);
    }

    [Fact]
    public void Merge_ShardMissingTwiceOrOfAnotherExperiment_IsRefusedWithWhat()
    {
        ShardResult Shard(int i, int n, string experiment = "e") => new(experiment, "e.yaml", [], "c", new ShardSpec(i, n), []);

        Should.Throw<InvalidDataException>(() => ShardMerge.Validate([Shard(0, 3), Shard(2, 3)], "e")).Message.ShouldContain("shard 1/3 missing");
        Should.Throw<InvalidDataException>(() => ShardMerge.Validate([Shard(0, 2), Shard(0, 2), Shard(1, 2)], "e")).Message.ShouldContain("shard 0/2 is given 2 times");
        Should.Throw<InvalidDataException>(() => ShardMerge.Validate([Shard(0, 2), Shard(1, 2, "f")], "e")).Message.ShouldContain("is of experiment 'f'");
        Should.Throw<InvalidDataException>(() => ShardMerge.Validate([Shard(0, 2), Shard(1, 3)], "e")).Message.ShouldContain("belongs to a run in 3 shards");
    }

    [Fact]
    public void Write_ThenRead_KeepsSlatesScoresAndNonFiniteNumbersExactly()
    {
        Slate[] slates = [new([2, 0, 1], 0.1 + 0.2, [0.3f, float.NaN, -1e-38f]), new([1], double.NegativeInfinity)];
        var shard = new ShardResult("e", "/x/e.yaml", ["preset=rich"], "/c", new ShardSpec(1, 2),
            [new ShardSeed(7, 10, 5, 10, [new ShardPipeline("p", 3, slates, [0.25], [1.5, 2.5], null), new ShardPipeline("q", 0, [], [], [], "broken")])]);

        var read = ShardResult.Read(shard.Write(_folder));

        read.Experiment.ShouldBe("e");
        read.Overrides.ShouldBe(["preset=rich"]);
        read.Shard.ShouldBe(new ShardSpec(1, 2));
        var p = read.Seeds.ShouldHaveSingleItem().Pipelines[0];
        p.Variant.ShouldBe(3);
        p.Slates[0].Indices.ShouldBe([2, 0, 1]);
        p.Slates[0].Score.ShouldBe(0.1 + 0.2);
        BitConverter.SingleToInt32Bits(p.Slates[0].ItemScores![2]).ShouldBe(BitConverter.SingleToInt32Bits(-1e-38f));
        float.IsNaN(p.Slates[0].ItemScores![1]).ShouldBeTrue();
        p.Slates[1].Score.ShouldBe(double.NegativeInfinity);
        p.Slates[1].ItemScores.ShouldBeNull();
        read.Seeds[0].Pipelines[1].Error.ShouldBe("broken");
    }

    private static ExperimentSpec Quickstart()
    {
        var errors = new List<ConfigError>();
        var spec = ExperimentParser.ParseFile(Path.Combine(RepoPaths.Root, "experiments", "quickstart.yaml"), errors);
        errors.ShouldBeEmpty();
        return spec!;
    }

    /// <summary>The results JSON without latency metrics (and their std and differences): timings, not results.</summary>
    private static JsonNode WithoutLatencies(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(k => k.StartsWith("latency_", StringComparison.Ordinal) || k.Contains("[latency_", StringComparison.Ordinal)).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, value) in o.ToList())
                {
                    if (value is not null)
                    {
                        WithoutLatencies(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a.Where(i => i is not null))
                {
                    WithoutLatencies(item!);
                }

                break;
        }

        return node;
    }
}
