using Rerank.Abstractions;
using Rerank.Runtime.Pipelines;

namespace Rerank.Evaluation.Experiments;

/// <summary>How much of an experiment a run does: all of it, with shared checkpoints, or the merge of its shards.</summary>
public sealed record RunScope
{
    /// <summary>Everything, training into the run's own folder.</summary>
    public static RunScope Full { get; } = new();

    /// <summary>A checkpoints folder shared with other runs of the experiment (shards, the merge): components load from it when trained before.</summary>
    public string? Checkpoints { get; init; }

    /// <summary>The shards whose slates a merge scores (every shard of one run); null when the pipelines run here.</summary>
    public IReadOnlyList<ShardResult>? Merge { get; init; }
}

/// <summary>One seed's slates gathered from every shard of a run, for the merge; <see cref="Validate"/> checks shards belong together.</summary>
public sealed class ShardMerge
{
    private readonly List<ShardSeed> _parts;

    private ShardMerge(List<ShardSeed> parts) => _parts = parts;

    /// <summary>Checks that <paramref name="shards"/> are every shard of one run of <paramref name="experiment"/> (each index once).</summary>
    /// <exception cref="InvalidDataException">They are not; the message says what is missing or mixed.</exception>
    public static void Validate(IReadOnlyList<ShardResult> shards, string experiment)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new InvalidDataException("merge: no shards given");
        }

        if (shards.FirstOrDefault(s => s.Experiment != experiment) is { } other)
        {
            throw new InvalidDataException($"merge: shard {other.Shard} is of experiment '{other.Experiment}', not '{experiment}'");
        }

        var count = shards[0].Shard.Count;
        if (shards.FirstOrDefault(s => s.Shard.Count != count) is { } mixed)
        {
            throw new InvalidDataException($"merge: shard {mixed.Shard} belongs to a run in {mixed.Shard.Count} shards, shard {shards[0].Shard} to one in {count}");
        }

        var indices = shards.Select(s => s.Shard.Index).ToList();
        if (indices.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidDataException($"merge: shard {twice.Key}/{count} is given {twice.Count()} times");
        }

        var missing = Enumerable.Range(0, count).Except(indices).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"merge: shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"{m}/{count}"))} missing; a merge needs every shard of the run");
        }

        var seeds = shards[0].Seeds.Select(s => s.Seed).ToList();
        if (shards.FirstOrDefault(s => !s.Seeds.Select(x => x.Seed).SequenceEqual(seeds)) is { } seedless)
        {
            throw new InvalidDataException($"merge: shard {seedless.Shard} ran seeds {string.Join(", ", seedless.Seeds.Select(x => x.Seed))}, shard {shards[0].Shard} ran {string.Join(", ", seeds)}");
        }
    }

    /// <summary>Seed number <paramref name="index"/> (<paramref name="seed"/>) of every shard, in request order.</summary>
    internal static ShardMerge SeedOf(IReadOnlyList<ShardResult> shards, int index, ulong seed)
    {
        var parts = shards.Select(s => index < s.Seeds.Count && s.Seeds[index].Seed == seed
                ? s.Seeds[index]
                : throw new InvalidDataException($"merge: shard {s.Shard} has no run of seed {seed}; the shards and the experiment's seeds differ"))
            .OrderBy(p => p.Start)
            .ToList();
        return new ShardMerge(parts);
    }

    /// <summary>Checks that the shards' slices tile the <paramref name="testRequests"/> test requests of this seed.</summary>
    internal void Check(int testRequests)
    {
        var next = 0;
        foreach (var part in _parts)
        {
            if (part.TestRequests != testRequests)
            {
                throw new InvalidDataException($"merge: seed {part.Seed}: a shard saw {part.TestRequests} test requests, the dataset has {testRequests}: the shards ran on other data");
            }

            if (part.Start != next)
            {
                throw new InvalidDataException($"merge: seed {part.Seed}: requests {next}…{part.Start - 1} are in no shard");
            }

            next = part.End;
        }

        if (next != testRequests)
        {
            throw new InvalidDataException($"merge: seed {_parts[0].Seed}: requests {next}…{testRequests - 1} are in no shard");
        }
    }

    /// <summary>The grid point every shard chose for <paramref name="pipeline"/>, and the first shard's error when it failed in one.</summary>
    internal (int Variant, string? Error) Variant(string pipeline)
    {
        var entries = _parts.Select(p => p.Pipelines.FirstOrDefault(x => x.Pipeline == pipeline)
            ?? throw new InvalidDataException($"merge: seed {p.Seed}: the shard of requests {p.Start}…{p.End - 1} has no pipeline '{pipeline}'")).ToList();
        if (entries.FirstOrDefault(e => e.Error is not null) is { } failed)
        {
            return (failed.Variant, failed.Error);
        }

        var variants = entries.Select(e => e.Variant).Distinct().ToList();
        return variants.Count == 1
            ? (variants[0], null)
            : throw new InvalidDataException($"merge: pipeline '{pipeline}': the shards chose different grid points ({string.Join(", ", variants)})");
    }

    /// <summary>The slates of <paramref name="pipeline"/> over every test request, the shards' latencies and their summed stage times.</summary>
    internal PipelineMeasurement Measurement(CompiledPipeline pipeline)
    {
        var entries = _parts.Select(p => p.Pipelines.First(x => x.Pipeline == pipeline.Name)).ToList();
        Slate[] slates = [.. entries.SelectMany(e => e.Slates)];
        double[] latencies = [.. entries.SelectMany(e => e.LatenciesMs)];
        var stageMs = new double[pipeline.Stages.Length];
        foreach (var entry in entries)
        {
            for (var s = 0; s < Math.Min(stageMs.Length, entry.StageMs.Length); s++)
            {
                stageMs[s] += entry.StageMs[s];
            }
        }

        return new PipelineMeasurement(slates, latencies, PipelineMeasurement.Shares(pipeline, stageMs), stageMs);
    }
}
