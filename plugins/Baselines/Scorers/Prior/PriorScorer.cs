using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// A one-stage scorer that ignores the prefix: every candidate scores its prior (optionally its log) at every position.
/// Greedy decoding over it reproduces the initial order.
/// </summary>
internal sealed class PriorScorer : IStepScorer
{
    private const float Floor = 1e-6f;
    private readonly PriorScorerOptions _options;

    public PriorScorer(PriorScorerOptions options, string name)
    {
        _options = options;
        Name = name;
    }

    public string Name { get; }

    public StepScoreKind Kind => StepScoreKind.ItemScore;

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var prior = PriorColumn.Resolve(batch.Schema, _options.Prior, Name);
        var values = new float[batch.Count * batch.MaxCandidates];
        for (var b = 0; b < batch.Count; b++)
        {
            for (var i = 0; i < batch.CandidateCounts[b]; i++)
            {
                var p = PriorColumn.Value(batch, prior, b, i);
                values[batch.CandidateOffset(b, i)] = _options.Transform == PriorTransform.Log ? MathF.Log(MathF.Max(p, Floor)) : p;
            }
        }

        return new Session(values, batch.MaxCandidates);
    }

    private sealed class Session(float[] values, int width) : IStepSession
    {
        public void Score(StepRows rows, Span<float> scores)
        {
            ArgumentNullException.ThrowIfNull(rows);
            for (var r = 0; r < rows.Count; r++)
            {
                values.AsSpan(rows.Request[r] * width, width).CopyTo(scores.Slice(r * width, width));
            }
        }

        public void Dispose()
        {
        }
    }
}
