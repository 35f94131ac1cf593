using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rerank.Abstractions;
using Rerank.Runtime.IO;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> of an experiment's test requests (<c>rerank run --shard i/n</c>): a
/// contiguous run of whole evaluation batches, so every request is in the same batch, with the same neighbours, as in the
/// unsharded run, and its slate is the same to the last bit.
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    /// <summary>Parses <c>i/n</c> with 0 ≤ i &lt; n.</summary>
    /// <exception cref="ArgumentException">Not of that form.</exception>
    public static ShardSpec Parse(string text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && i < n)
        {
            return new ShardSpec(i, n);
        }

        throw new ArgumentException($"--shard '{text}' must be i/n with 0 ≤ i < n, e.g. 0/2");
    }

    /// <summary>
    /// The requests [start, end) of this shard among <paramref name="requests"/> evaluated <paramref name="batchSize"/> at a
    /// time: batches ⌊i·B/n⌋ … ⌊(i+1)·B/n⌋ − 1 of the B = ⌈requests / batchSize⌉; consecutive shards tile the requests.
    /// </summary>
    public (int Start, int End) Slice(int requests, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var batches = ((long)requests + batchSize - 1) / batchSize;
        var first = batches * Index / Count;
        var last = batches * (Index + 1) / Count;
        return ((int)Math.Min(first * batchSize, requests), (int)Math.Min(last * batchSize, requests));
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

/// <summary>What one shard measured of one pipeline: the tuned variant it chose, and the slates of its requests.</summary>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Variant">The grid point tuning chose (0 when not tuned).</param>
/// <param name="Slates">The final slate of each request of the shard, in request order; empty when <paramref name="Error"/> is set.</param>
/// <param name="LatenciesMs">Single-request latencies timed on the shard's first requests.</param>
/// <param name="StageMs">Batched wall time per stage, in milliseconds.</param>
/// <param name="Error">Why the pipeline failed in this shard; null when it ran.</param>
public sealed record ShardPipeline(string Pipeline, int Variant, IReadOnlyList<Slate> Slates, double[] LatenciesMs, double[] StageMs, string? Error);

/// <summary>One seed's part of a shard: which test requests it covered and each pipeline's slates.</summary>
public sealed record ShardSeed(ulong Seed, int TestRequests, int Start, int End, IReadOnlyList<ShardPipeline> Pipelines);

/// <summary>
/// A shard's output (<c>shard.json</c>): the experiment it belongs to (file, <c>--set</c> overrides, shared checkpoints),
/// which shard it is, and per seed the slates of its requests. <c>rerank merge</c> reads the shards of one run back,
/// checks they tile the test requests, and scores the concatenated slates exactly as an unsharded run scores its own.
/// </summary>
public sealed record ShardResult(
    string Experiment,
    string File,
    IReadOnlyList<string> Overrides,
    string Checkpoints,
    ShardSpec Shard,
    IReadOnlyList<ShardSeed> Seeds)
{
    /// <summary>The file a shard writes in its <c>--out</c> folder.</summary>
    public const string FileName = "shard.json";

    private const string Format = "rerank-shard/1";

    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes the shard to <paramref name="folder"/>/<see cref="FileName"/> (temp file + rename).</summary>
    public string Write(string folder)
    {
        var seeds = new JsonArray();
        foreach (var seed in Seeds)
        {
            var pipelines = new JsonArray();
            foreach (var p in seed.Pipelines)
            {
                var slates = new JsonArray();
                foreach (var slate in p.Slates)
                {
                    slates.Add(new JsonObject
                    {
                        ["i"] = new JsonArray([.. slate.Indices.Select(i => (JsonNode)i)]),
                        ["s"] = JsonValue.Create(slate.Score),
                        ["is"] = slate.ItemScores is null ? null : new JsonArray([.. slate.ItemScores.Select(v => (JsonNode)JsonValue.Create(v))]),
                    });
                }

                pipelines.Add(new JsonObject
                {
                    ["pipeline"] = p.Pipeline,
                    ["variant"] = p.Variant,
                    ["error"] = p.Error,
                    ["latency_ms"] = new JsonArray([.. p.LatenciesMs.Select(v => (JsonNode)JsonValue.Create(v))]),
                    ["stage_ms"] = new JsonArray([.. p.StageMs.Select(v => (JsonNode)JsonValue.Create(v))]),
                    ["slates"] = slates,
                });
            }

            seeds.Add(new JsonObject
            {
                ["seed"] = seed.Seed.ToString(CultureInfo.InvariantCulture),
                ["test_requests"] = seed.TestRequests,
                ["start"] = seed.Start,
                ["end"] = seed.End,
                ["pipelines"] = pipelines,
            });
        }

        var json = new JsonObject
        {
            ["format"] = Format,
            ["experiment"] = Experiment,
            ["file"] = File,
            ["overrides"] = new JsonArray([.. Overrides.Select(o => (JsonNode)o)]),
            ["checkpoints"] = Checkpoints,
            ["shard"] = Shard.Index,
            ["shards"] = Shard.Count,
            ["seeds"] = seeds,
        };
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        AtomicFile.WriteAllText(path, json.ToJsonString(Options) + "\n");
        return path;
    }

    /// <summary>Reads the shard in <paramref name="folder"/> (or the file itself).</summary>
    /// <exception cref="FileNotFoundException">No shard there.</exception>
    /// <exception cref="InvalidDataException">Not a shard file; the message names it.</exception>
    public static ShardResult Read(string folder)
    {
        var path = Directory.Exists(folder) ? Path.Combine(folder, FileName) : folder;
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"no shard at {path} (run the experiment with --shard i/n --out {folder} first)", path);
        }

        try
        {
            var json = JsonNode.Parse(System.IO.File.ReadAllText(path))!;
            if ((string?)json["format"] != Format)
            {
                throw new InvalidDataException($"{path}: not a shard file (format '{(string?)json["format"]}', expected '{Format}')");
            }

            var seeds = json["seeds"]!.AsArray().Select(s => new ShardSeed(
                ulong.Parse((string)s!["seed"]!, CultureInfo.InvariantCulture),
                (int)s["test_requests"]!,
                (int)s["start"]!,
                (int)s["end"]!,
                [.. s["pipelines"]!.AsArray().Select(p => new ShardPipeline(
                    (string)p!["pipeline"]!,
                    (int)p["variant"]!,
                    [.. p["slates"]!.AsArray().Select(ReadSlate)],
                    [.. p["latency_ms"]!.AsArray().Select(Number)],
                    [.. p["stage_ms"]!.AsArray().Select(Number)],
                    (string?)p["error"]))])).ToList();
            return new ShardResult(
                (string)json["experiment"]!,
                (string)json["file"]!,
                [.. json["overrides"]!.AsArray().Select(o => (string)o!)],
                (string)json["checkpoints"]!,
                new ShardSpec((int)json["shard"]!, (int)json["shards"]!),
                seeds);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a readable shard file ({e.Message})", e);
        }
    }

    private static Slate ReadSlate(JsonNode? node)
    {
        var indices = node!["i"]!.AsArray().Select(i => (int)i!).ToArray();
        var scores = node["is"] is JsonArray items ? items.Select(v => (float)Number(v)).ToArray() : null;
        return new Slate(indices, Number(node["s"]), scores);
    }

    /// <summary>A number as written: JSON numbers, or NaN and ±Infinity as the strings System.Text.Json writes them.</summary>
    private static double Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : node!.GetValue<double>();
}
