namespace Rerank.Abstractions;

/// <summary>Scores whole slates: picks the best of K and serves as a teacher for training.</summary>
public interface IEvaluator : IComponent
{
    /// <summary>Returns the list value of each slate: <c>values[b][k]</c> for slate k of request b (higher is better).</summary>
    double[][] Evaluate(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates, RerankContext context);
}
