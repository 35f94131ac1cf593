using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>
/// Contrastive decoding (eq. 16): y_t = argmax over unselected x of (1 − α)·p(x | t, X) − α·max_{j&lt;t} s(x, y_j), the penalty
/// being 0 at the first position, s the cosine of candidate representations (eq. 17). One row per request and α; K slates
/// come from the first K values of <c>alphas</c>, duplicates dropped, best first by summed log-probability. The scorer's
/// step scores give p: exp(score) for LogProbability scorers, the step gain otherwise. Similarity uses the scorer's candidate
/// representations when its session exposes them (the NAR4Rec generator), else the items' content embeddings.
/// </summary>
internal sealed class ContrastiveDecoder : IDecoder, ITimedComponent
{
    private readonly PhaseTimer _timer = new();
    private readonly float[] _alphas;
    private readonly SimilaritySource _source;

    public ContrastiveDecoder(ContrastiveOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        _alphas = options.Alphas;
        _source = options.Similarity;
        Name = name;
    }

    public string Name { get; }

    public IReadOnlyList<PhaseTiming> Timings => _timer.Timings;

    public void ResetTimings() => _timer.Reset();

    public IReadOnlyList<Slate>[] Decode(RerankBatch batch, IStepScorer scorer, IDiversifier? diversifier, int count, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var k = Math.Min(count, _alphas.Length);
        var n = batch.MaxCandidates;
        var rowsCount = batch.Count * k;
        var request = new int[rowsCount];
        var alpha = new float[rowsCount];
        for (var r = 0; r < rowsCount; r++)
        {
            request[r] = r / k;
            alpha[r] = _alphas[r % k];
        }

        var lengths = Enumerable.Range(0, batch.Count).Select(b => Math.Min(batch.SlateSizes[b], batch.CandidateCounts[b])).ToArray();
        var maxLength = lengths.Length == 0 ? 0 : lengths.Max();
        var picked = new int[rowsCount][];
        var gains = new float[rowsCount][];
        for (var r = 0; r < rowsCount; r++)
        {
            picked[r] = new int[lengths[request[r]]];
            gains[r] = new float[lengths[request[r]]];
        }

        var totals = new double[rowsCount];
        var values = new double[rowsCount];
        using (var session = scorer.Begin(batch, context))
        {
            var similarity = new Similarity(batch, _source == SimilaritySource.Representations ? session as IRepresentationSession : null);
            var active = Enumerable.Range(0, rowsCount).ToList();
            var maxSimilarity = new float[rowsCount * n]; // max_{j<t} s(x, y_j), updated after each pick
            var parentOf = new int[rowsCount];
            Array.Fill(parentOf, -1);
            for (var t = 0; t < maxLength; t++)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                active.RemoveAll(r => picked[r].Length <= t);
                var prefixes = new int[active.Count * t];
                for (var i = 0; i < active.Count; i++)
                {
                    picked[active[i]].AsSpan(0, t).CopyTo(prefixes.AsSpan(i * t, t));
                }

                var rows = new StepRows(t, [.. active.Select(r => request[r])], [.. active.Select(r => parentOf[r])], prefixes);
                var scores = new float[active.Count * n];
                session.Score(rows, scores);
                using var select = _timer.Measure("contrastive select (eq. 16)");
                var objective = new float[scores.Length];
                for (var i = 0; i < active.Count; i++)
                {
                    var r = active[i];
                    for (var c = 0; c < n; c++)
                    {
                        var gain = Gain(scorer.Kind, scores[(i * n) + c], values[r]);
                        var p = scorer.Kind == StepScoreKind.LogProbability ? MathF.Exp(gain) : gain;
                        var penalty = t == 0 ? 0f : maxSimilarity[(r * n) + c]; // eq. 16–17, 0 at the first position
                        objective[(i * n) + c] = ((1f - alpha[r]) * p) - (alpha[r] * penalty);
                    }
                }

                diversifier?.Adjust(batch, rows, objective);
                for (var i = 0; i < active.Count; i++)
                {
                    var r = active[i];
                    var best = Best(objective.AsSpan(i * n, n), batch.CandidateCounts[request[r]], picked[r].AsSpan(0, t));
                    if (best < 0)
                    {
                        throw new ComponentException($"{Name}: no candidate left for request '{batch.Requests[request[r]].RequestId}' at position {t}");
                    }

                    var gain = Gain(scorer.Kind, scores[(i * n) + best], values[r]);
                    picked[r][t] = best;
                    gains[r][t] = gain;
                    totals[r] += gain;
                    if (scorer.Kind == StepScoreKind.PrefixValue)
                    {
                        values[r] = scores[(i * n) + best];
                    }

                    parentOf[r] = i;
                    similarity.Update(request[r], best, maxSimilarity.AsSpan(r * n, batch.CandidateCounts[request[r]]), t == 0);
                }
            }
        }

        var result = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            var slates = new List<Slate>(k);
            for (var j = 0; j < k; j++)
            {
                var r = (b * k) + j;
                if (!slates.Any(s => s.Indices.AsSpan().SequenceEqual(picked[r])))
                {
                    slates.Add(new Slate(picked[r], totals[r], gains[r]));
                }
            }

            result[b] = [.. slates.OrderByDescending(s => s.Score)];
        }

        return result;
    }

    private static float Gain(StepScoreKind kind, float score, double value) =>
        kind == StepScoreKind.PrefixValue ? (float)(score - value) : score;

    private static int Best(ReadOnlySpan<float> objective, int count, ReadOnlySpan<int> prefix)
    {
        var best = -1;
        var bestValue = float.NegativeInfinity;
        for (var c = 0; c < count; c++)
        {
            var v = objective[c];
            if (prefix.Contains(c) || float.IsNaN(v))
            {
                continue;
            }

            if (best < 0 || v > bestValue)
            {
                best = c;
                bestValue = v;
            }
        }

        return best;
    }

    /// <summary>s(·,·) of eq. 17: cosine of the scorer's candidate representations, or of the items' content embeddings.</summary>
    private sealed class Similarity(RerankBatch batch, IRepresentationSession? representations)
    {
        private readonly float[]? _unit = representations is null && batch.EmbeddingWidth > 0 ? Normalise(batch.Embeddings, batch.EmbeddingWidth) : null;

        /// <summary>Folds the newly picked <paramref name="chosen"/> into each candidate's running maximum similarity.</summary>
        public void Update(int b, int chosen, Span<float> max, bool first)
        {
            for (var c = 0; c < max.Length; c++)
            {
                var s = Cosine(b, c, chosen);
                max[c] = first ? s : MathF.Max(max[c], s);
            }
        }

        private float Cosine(int b, int i, int j)
        {
            ReadOnlySpan<float> x;
            ReadOnlySpan<float> y;
            if (representations is not null)
            {
                x = representations.Unit(b, i);
                y = representations.Unit(b, j);
            }
            else if (_unit is not null)
            {
                var e = batch.EmbeddingWidth;
                x = _unit.AsSpan(batch.CandidateOffset(b, i) * e, e);
                y = _unit.AsSpan(batch.CandidateOffset(b, j) * e, e);
            }
            else
            {
                return 0f;
            }

            var dot = 0f;
            for (var k = 0; k < x.Length; k++)
            {
                dot += x[k] * y[k];
            }

            return dot;
        }

        private static float[] Normalise(float[] source, int width)
        {
            var unit = (float[])source.Clone();
            for (var r = 0; r < unit.Length / width; r++)
            {
                var v = unit.AsSpan(r * width, width);
                var sq = 0f;
                foreach (var x in v)
                {
                    sq += x * x;
                }

                if (sq > 0)
                {
                    var inv = 1f / MathF.Sqrt(sq);
                    for (var k = 0; k < width; k++)
                    {
                        v[k] *= inv;
                    }
                }
            }

            return unit;
        }
    }
}
