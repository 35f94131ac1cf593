namespace Rerank.Abstractions;

/// <summary>A model with its decoding: batch in, up to K slates per request out.</summary>
public interface IGenerator : IComponent
{
    /// <summary>Generates up to <paramref name="count"/> slates per request, best first.</summary>
    IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context);
}
