namespace Rerank.Abstractions;

/// <summary>Turns an <see cref="IStepScorer"/> into up to K slates per request: greedy, beam, sampling, contrastive, queues.</summary>
public interface IDecoder : IComponent
{
    /// <summary>Decodes up to <paramref name="count"/> distinct slates of each request's slate size, best first.</summary>
    /// <param name="batch">The requests.</param>
    /// <param name="scorer">Scores candidates given prefixes.</param>
    /// <param name="diversifier">Optional in-decoding diversity adjustment.</param>
    /// <param name="count">K, the number of slates wanted per request.</param>
    /// <param name="context">Seed and cancellation.</param>
    IReadOnlyList<Slate>[] Decode(RerankBatch batch, IStepScorer scorer, IDiversifier? diversifier, int count, RerankContext context);
}
