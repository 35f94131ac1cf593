namespace Rerank.Plugins.SortGen;

/// <summary>α, β, γ of eq. 1 and whether prices are scaled by the training mean price for V_GMV.</summary>
internal readonly record struct ObjectiveWeights(double Alpha, double Beta, double Gamma, bool NormalizeGmv)
{
    /// <summary>
    /// The value the item at position j adds (eq. 1–2): α·Δclick + β·Δpay + γ·price·Δpay, where Δ = E[count_j] − E[count_{j−1}]
    /// and GMV = price × incremental expected pays (PAPER-NOTES: GMV has no head of its own).
    /// </summary>
    public double Increment(double clickDelta, double payDelta, double price) =>
        (Alpha * clickDelta) + (Beta * payDelta) + (Gamma * price * payDelta);
}
