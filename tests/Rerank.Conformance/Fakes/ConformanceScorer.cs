using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>
/// A deterministic step scorer of any <see cref="StepScoreKind"/>, used to drive decoders and diversifiers:
/// ItemScore — the candidate's ctr prior; LogProbability — a log-softmax over free candidates of 3·ctr − 2·cos(e, e_last)
/// (so it depends on the prefix); PrefixValue — the request's ground-truth utility of prefix + candidate (or, without
/// ground truth, the position-discounted sum of ctr). Slots that are padding or in the prefix get −∞.
/// </summary>
public class ConformanceScorer : IStepScorer
{
    /// <summary>Creates a scorer of <paramref name="kind"/>.</summary>
    public ConformanceScorer(StepScoreKind kind) => Kind = kind;

    /// <inheritdoc />
    public string Name => $"conformance-{Kind}";

    /// <inheritdoc />
    public StepScoreKind Kind { get; }

    /// <inheritdoc />
    public virtual IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new Session(this, batch);
    }

    /// <summary>Scores one row whose prefix is <paramref name="prefix"/> into <paramref name="scores"/> (length N).</summary>
    protected void ScoreRow(RerankBatch batch, int b, ReadOnlySpan<int> prefix, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var n = batch.CandidateCounts[b];
        var ctr = Math.Max(0, batch.Schema.PriorIndex("ctr"));
        scores.Fill(float.NegativeInfinity);
        var list = new int[prefix.Length + 1];
        prefix.CopyTo(list);
        var logits = new double[n];
        var max = double.NegativeInfinity;
        for (var c = 0; c < n; c++)
        {
            if (prefix.Contains(c))
            {
                continue;
            }

            var prior = batch.Priors[(batch.CandidateOffset(b, c) * batch.PriorCount) + ctr];
            switch (Kind)
            {
                case StepScoreKind.ItemScore:
                    scores[c] = prior;
                    break;
                case StepScoreKind.PrefixValue:
                    list[^1] = c;
                    scores[c] = (float)PrefixValue(batch, b, list);
                    break;
                default:
                    logits[c] = (3 * prior) - (prefix.Length == 0 ? 0 : 2 * Cosine(batch, b, c, prefix[^1]));
                    max = Math.Max(max, logits[c]);
                    break;
            }
        }

        if (Kind == StepScoreKind.LogProbability)
        {
            var sum = 0d;
            for (var c = 0; c < n; c++)
            {
                sum += prefix.Contains(c) ? 0 : Math.Exp(logits[c] - max);
            }

            for (var c = 0; c < n; c++)
            {
                if (!prefix.Contains(c))
                {
                    scores[c] = (float)(logits[c] - max - Math.Log(sum));
                }
            }
        }
    }

    private static double PrefixValue(RerankBatch batch, int b, int[] list)
    {
        if (batch.Requests[b].GroundTruth is { } truth)
        {
            return truth.Utility(list);
        }

        var ctr = Math.Max(0, batch.Schema.PriorIndex("ctr"));
        return list.Select((c, t) => batch.Priors[(batch.CandidateOffset(b, c) * batch.PriorCount) + ctr] / Math.Log2(t + 2)).Sum();
    }

    private static double Cosine(RerankBatch batch, int b, int i, int j)
    {
        var width = batch.EmbeddingWidth;
        var x = batch.Embeddings.AsSpan(batch.CandidateOffset(b, i) * width, width);
        var y = batch.Embeddings.AsSpan(batch.CandidateOffset(b, j) * width, width);
        double dot = 0, nx = 0, ny = 0;
        for (var k = 0; k < width; k++)
        {
            dot += x[k] * y[k];
            nx += x[k] * x[k];
            ny += y[k] * y[k];
        }

        return nx > 0 && ny > 0 ? dot / Math.Sqrt(nx * ny) : 0;
    }

    private sealed class Session(ConformanceScorer scorer, RerankBatch batch) : IStepSession
    {
        public void Score(StepRows rows, Span<float> scores)
        {
            var width = batch.MaxCandidates;
            for (var r = 0; r < rows.Count; r++)
            {
                scorer.ScoreRow(batch, rows.Request[r], rows.Prefix(r), scores.Slice(r * width, width));
            }
        }

        public void Dispose()
        {
        }
    }
}
