namespace Rerank.Engine.Optim;

/// <summary>Adam / AdamW hyper-parameters.</summary>
/// <param name="LearningRate">α.</param>
/// <param name="Beta1">β₁, the first-moment decay.</param>
/// <param name="Beta2">β₂, the second-moment decay.</param>
/// <param name="Epsilon">ε in the denominator.</param>
/// <param name="WeightDecay">L2 penalty (Adam) or decoupled decay (AdamW).</param>
public sealed record AdamOptions(float LearningRate = 1e-3f, float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f, float WeightDecay = 0f)
{
    /// <summary>Throws on an out-of-range value, naming it.</summary>
    public void Validate()
    {
        if (LearningRate < 0f || Beta1 is < 0f or >= 1f || Beta2 is < 0f or >= 1f || Epsilon <= 0f || WeightDecay < 0f)
        {
            throw new ArgumentException($"Invalid Adam options {this}: need lr ≥ 0, 0 ≤ β < 1, ε > 0, weight decay ≥ 0.");
        }
    }
}
