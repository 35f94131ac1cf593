namespace Rerank.Abstractions;

/// <summary>
/// An evaluator that also predicts the outcome at each position of a slate (e.g. the click probability), so experiments can
/// measure it item by item (AUC, LogLoss) on held-out logs, besides list by list.
/// </summary>
public interface IItemwiseEvaluator : IEvaluator
{
    /// <summary>
    /// Returns, for the one slate of each request, the predicted probability of the primary target (a click) at each of
    /// its positions: <c>predictions[b][t]</c> for position t of <paramref name="slates"/>[b].
    /// </summary>
    float[][] PredictPositions(RerankBatch batch, IReadOnlyList<Slate> slates, RerankContext context);
}
