using Rerank.Abstractions;

namespace Rerank.Plugins.Onnx;

/// <summary>
/// An ONNX model as a step scorer: run once per batch; item scores [B, N] are returned at every step, per-position
/// log-probabilities [B, L, N] give step t row t. Any decoder can drive it.
/// </summary>
internal sealed class OnnxScorer(OnnxScorerOptions options, ComponentContext context)
    : OnnxComponent(options, context, options.OutputKind == ScorerOutputKind.ItemScores
        ? FloatOutput("float32 [B, N] (output_kind: item_scores)", 2)
        : FloatOutput("float32 [B, L, N] (output_kind: position_log_probs)", 3)), IStepScorer
{
    public StepScoreKind Kind => options.OutputKind == ScorerOutputKind.ItemScores ? StepScoreKind.ItemScore : StepScoreKind.LogProbability;

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (values, shape) = Run<float>(Feeds(batch));
        if (options.OutputKind == ScorerOutputKind.ItemScores)
        {
            CheckShape(shape, "item scores", batch.Count, batch.MaxCandidates);
            return new Session(Name, values, 1, batch.MaxCandidates);
        }

        CheckShape(shape, "per-position log-probabilities", batch.Count, -1, batch.MaxCandidates);
        return new Session(Name, values, (int)shape[1], batch.MaxCandidates);
    }

    /// <summary>Copies each row's request (and position) slice of the model's output.</summary>
    private sealed class Session(string name, float[] values, int positions, int n) : IStepSession
    {
        public void Score(StepRows rows, Span<float> scores)
        {
            var position = positions == 1 ? 0 : rows.Step;
            if (position >= positions)
            {
                throw new InvalidOperationException($"{name}: the model gives {positions} positions, but the decoder asks for position {rows.Step + 1}");
            }

            for (var r = 0; r < rows.Count; r++)
            {
                values.AsSpan(((rows.Request[r] * positions) + position) * n, n).CopyTo(scores.Slice(r * n, n));
            }
        }

        public void Dispose()
        {
        }
    }
}
