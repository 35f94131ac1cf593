namespace Rerank.Abstractions;

/// <summary>
/// "How good is each remaining candidate at position t, given the prefix?" Non-autoregressive models ignore
/// the prefix, autoregressive ones run a decoder step, evaluators score each extension.
/// </summary>
public interface IStepScorer : IComponent
{
    /// <summary>How scores combine along a slate.</summary>
    StepScoreKind Kind { get; }

    /// <summary>Starts scoring one batch (encode candidates once, allocate caches); dispose the session when decoding ends.</summary>
    IStepSession Begin(RerankBatch batch, RerankContext context);
}

/// <summary>Scores the steps of one batch.</summary>
public interface IStepSession : IDisposable
{
    /// <summary>
    /// Writes, for each row, a score for every candidate slot into <paramref name="scores"/> (<c>[rows, N]</c>, N = the batch's
    /// <see cref="RerankBatch.MaxCandidates"/>). Values for padding or already-selected candidates are ignored by the decoder.
    /// </summary>
    void Score(StepRows rows, Span<float> scores);
}
