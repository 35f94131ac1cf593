using Rerank.Abstractions;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// The offline stage of DeGRe (§4.2): beam search of width B guided by the lookahead evaluator's V̂. At each step
/// every expansion of every beam of every request of a chunk (up to N×B per request) is scored in one batched pass;
/// each beam keeps its top-K expansions (pre-truncation), each request its global top B. The B final lists form
/// T_syn; each carries its hard labels, soft labels q_t (eq. 9, from the scores computed during the search) and
/// sequence weight w_l (eq. 10, multiplied by B).
/// </summary>
internal static class BeamMiner
{
    /// <summary>The requests [Start, Start + Count) of shard <paramref name="shard"/> of <paramref name="shards"/>, cut on chunk boundaries.</summary>
    public static (int Start, int Count) ShardRange(int total, int chunk, int shard, int shards)
    {
        if (shards < 1 || shard < 0 || shard >= shards)
        {
            throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard}/{shards} is not valid: it needs 0 ≤ i < n");
        }

        var chunks = (total + chunk - 1) / chunk;
        var first = (int)((long)shard * chunks / shards);
        var last = (int)((long)(shard + 1) * chunks / shards);
        var start = Math.Min(total, first * chunk);
        var end = Math.Min(total, last * chunk);
        return (start, end - start);
    }

    /// <summary>Mines requests [start, start + count) of <paramref name="requests"/>; <paramref name="start"/> must lie on a chunk boundary.</summary>
    public static List<MinedRequest> Mine(
        LookaheadEvaluator teacher, FeatureSchema schema, IReadOnlyList<RerankRequest> requests, int start, int count, MiningOptions options, CancellationToken cancellation)
    {
        if (start % options.Chunk != 0)
        {
            throw new ArgumentException($"mining must start on a chunk boundary ({options.Chunk}), got {start}", nameof(start));
        }

        var mined = new List<MinedRequest>(count);
        for (var from = start; from < start + count; from += options.Chunk)
        {
            cancellation.ThrowIfCancellationRequested();
            var size = Math.Min(options.Chunk, start + count - from);
            var chunk = Enumerable.Range(from, size).Select(i => requests[i]).ToArray();
            mined.AddRange(MineChunk(teacher, RerankBatch.Create(schema, chunk), from, options));
        }

        return mined;
    }

    private static IEnumerable<MinedRequest> MineChunk(LookaheadEvaluator teacher, RerankBatch batch, int first, MiningOptions options)
    {
        var n = batch.MaxCandidates;
        var tokens = teacher.Encode(batch);
        var beams = Enumerable.Range(0, batch.Count).Select(_ => new List<Beam> { new([], [], 0f) }).ToArray();
        var stepScores = new List<float[]>();
        var maxLength = batch.SlateSizes.Max();
        for (var t = 0; t < maxLength; t++)
        {
            // One row per live beam; every free candidate of every row is one sequence of this step's single batch.
            var rows = new List<(int Request, Beam Beam)>();
            for (var b = 0; b < batch.Count; b++)
            {
                if (t < batch.SlateSizes[b])
                {
                    rows.AddRange(beams[b].Select(beam => (b, beam)));
                }
            }

            var scores = new float[rows.Count * n];
            Array.Fill(scores, float.NegativeInfinity);
            var items = new List<int>();
            var slots = new List<int>();
            for (var r = 0; r < rows.Count; r++)
            {
                var (b, beam) = rows[r];
                for (var c = 0; c < batch.CandidateCounts[b]; c++)
                {
                    if (Array.IndexOf(beam.Items, c) >= 0)
                    {
                        continue;
                    }

                    slots.Add((r * n) + c);
                    items.AddRange(beam.Items.Select(i => (b * n) + i));
                    items.Add((b * n) + c);
                }
            }

            var length = t + 1;
            var values = teacher.PrefixValues(tokens, [.. items], slots.Count, length);
            for (var s = 0; s < slots.Count; s++)
            {
                scores[slots[s]] = values[(s * length) + t];
            }

            stepScores.Add(scores);
            var next = Enumerable.Range(0, batch.Count).Select(b => t < batch.SlateSizes[b] ? new List<Beam>() : beams[b]).ToArray();
            var r0 = 0;
            while (r0 < rows.Count)
            {
                var b = rows[r0].Request;
                var expansions = new List<(float Value, int Row, int Candidate)>();
                for (; r0 < rows.Count && rows[r0].Request == b; r0++)
                {
                    var row = r0;
                    var ranked = Enumerable.Range(0, batch.CandidateCounts[b])
                        .Where(c => !float.IsNegativeInfinity(scores[(row * n) + c]))
                        .Select(c => (Value: scores[(row * n) + c], Row: row, Candidate: c))
                        .OrderByDescending(x => x.Value).ThenBy(x => x.Candidate);
                    expansions.AddRange(options.TopK > 0 ? ranked.Take(options.TopK) : ranked);
                }

                foreach (var (value, row, candidate) in expansions
                    .OrderByDescending(x => x.Value).ThenBy(x => x.Row).ThenBy(x => x.Candidate).Take(options.Width))
                {
                    var parent = rows[row].Beam;
                    next[b].Add(new Beam([.. parent.Items, candidate], [.. parent.Rows, row], value));
                }
            }

            beams = next;
        }

        for (var b = 0; b < batch.Count; b++)
        {
            yield return Supervise(beams[b], stepScores, batch.CandidateCounts[b], n, first + b, batch.Requests[b].RequestId, options);
        }
    }

    private static MinedRequest Supervise(List<Beam> beams, List<float[]> stepScores, int candidates, int n, int index, string id, MiningOptions options)
    {
        // eq. 10: w_l = softmax over T_syn of V̂(l)/τ_w, multiplied by B.
        var max = beams.Max(x => x.Value);
        var exp = beams.Select(x => Math.Exp((x.Value - max) / options.WeightTemperature)).ToArray();
        var sum = exp.Sum();
        var lists = new List<MinedList>(beams.Count);
        for (var l = 0; l < beams.Count; l++)
        {
            var beam = beams[l];
            var length = beam.Items.Length;
            var soft = new float[length * candidates];
            for (var t = 0; t < length; t++)
            {
                // eq. 9: q_t = softmax of V̂([l_<t; v]) over the candidates v not yet in l_<t, read from the search's scores.
                var row = stepScores[t].AsSpan(beam.Rows[t] * n, n);
                var top = double.NegativeInfinity;
                for (var c = 0; c < candidates; c++)
                {
                    top = Math.Max(top, row[c]);
                }

                var z = 0.0;
                for (var c = 0; c < candidates; c++)
                {
                    z += float.IsNegativeInfinity(row[c]) ? 0 : Math.Exp(row[c] - top);
                }

                for (var c = 0; c < candidates; c++)
                {
                    soft[(t * candidates) + c] = float.IsNegativeInfinity(row[c]) ? 0f : (float)(Math.Exp(row[c] - top) / z);
                }
            }

            lists.Add(new MinedList(beam.Items, beam.Value, (float)(beams.Count * exp[l] / sum), soft));
        }

        return new MinedRequest(index, id, candidates, lists);
    }

    /// <summary>A partial list: its items, the step rows of its prefixes (row at step t holds l_&lt;t) and V̂ of the prefix.</summary>
    private sealed record Beam(int[] Items, int[] Rows, float Value);
}
