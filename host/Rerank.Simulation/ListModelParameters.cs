namespace Rerank.Simulation;

/// <summary>The list model's parameters (SIMULATOR.md "The list model").</summary>
/// <param name="Satiation">η (≥ 0).</param>
/// <param name="Decay">δ in [0, 1].</param>
/// <param name="Anchoring">κ (≥ 0).</param>
/// <param name="AnchorMin">Lower clip of b_t.</param>
/// <param name="AnchorMax">Upper clip of b_t.</param>
/// <param name="ClickWeight">w_click.</param>
/// <param name="ConversionWeight">w_conv.</param>
/// <param name="GmvWeight">w_gmv (applied to price ÷ <paramref name="MeanPrice"/>).</param>
/// <param name="MeanPrice">Mean catalogue price, the GMV scale.</param>
/// <param name="Complementarity">ζ (≥ 0; 0 turns complementarity off).</param>
/// <param name="ComplementarityCap">Cap on the complementarity increase (factor ≤ 1 + cap).</param>
/// <param name="Patience">γ (&gt; 0) of the position decay β_t = 1 / log2(t + 1)^γ (1: the plain decay).</param>
internal sealed record ListModelParameters(
    double Satiation,
    double Decay,
    double Anchoring,
    double AnchorMin,
    double AnchorMax,
    double ClickWeight,
    double ConversionWeight,
    double GmvWeight,
    double MeanPrice,
    double Complementarity = 0.0,
    double ComplementarityCap = 1.0,
    double Patience = 1.0)
{
    /// <summary>The list model of <paramref name="options"/> for a catalogue whose mean price is <paramref name="meanPrice"/>.</summary>
    public static ListModelParameters From(SimulatorOptions options, double meanPrice) => new(
        options.EffectiveSatiation,
        options.SatiationDecay,
        options.EffectiveAnchoring,
        options.AnchoringMin,
        options.AnchoringMax,
        options.ClickWeight,
        options.ConversionWeight,
        options.GmvWeight,
        meanPrice,
        options.Complementarity,
        options.ComplementarityCap);

    /// <summary>Position bias β_t = 1 / log2(t + 1) for a 0-based position (t + 1 is the 1-based one).</summary>
    public static double PositionBias(int position) => 1.0 / Math.Log2(position + 2);

    /// <summary>
    /// The list model of <paramref name="options"/> for a user whose satiation multiplier is exp(σ·z_u)
    /// (<paramref name="satiationScale"/>) and whose patience is γ_u (<paramref name="patience"/>).
    /// </summary>
    public static ListModelParameters For(SimulatorOptions options, double meanPrice, double satiationScale, double patience)
    {
        var p = From(options, meanPrice);
        return satiationScale == 1.0 && patience == 1.0 ? p : p with { Satiation = p.Satiation * satiationScale, Patience = patience };
    }

    /// <summary>This user's β_t = 1 / log2(t + 1)^γ for a 0-based position (exactly <see cref="PositionBias"/> when γ = 1).</summary>
    public double Bias(int position) =>
        Patience == 1.0 ? PositionBias(position) : 1.0 / Math.Pow(Math.Log2(position + 2), Patience);

    /// <summary>m_t = 1 + min(cap, ζ·Σ P(click_s)) given the complement click mass Σ (1 when ζ = 0).</summary>
    public double ComplementFactor(double complementClicks) =>
        Complementarity > 0 ? 1.0 + Math.Min(ComplementarityCap, Complementarity * complementClicks) : 1.0;

    /// <summary>b_t: the price anchoring factor given the highest earlier same-category price (0 when there is none).</summary>
    public double AnchorFactor(double earlierMaxPrice, double price) =>
        earlierMaxPrice > price
            ? Math.Clamp(1.0 + (Anchoring * Math.Tanh(Math.Log(earlierMaxPrice / price))), AnchorMin, AnchorMax)
            : 1.0;
}
