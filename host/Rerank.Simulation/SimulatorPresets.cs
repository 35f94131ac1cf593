namespace Rerank.Simulation;

/// <summary>The simulator's list-model regimes (<c>dataset.params.preset</c>).</summary>
public enum SimulatorPreset
{
    /// <summary>Satiation by content similarity and price anchoring (η = 1.5, κ = 0.3), nothing else: the defaults.</summary>
    Default,

    /// <summary>The defaults plus complementarity and user-specific satiation and patience (values in <see cref="SimulatorPresets.Rich"/>).</summary>
    Rich,

    /// <summary>No list effects (η = κ = ζ = 0, every user alike): sorting by the true attractiveness is optimal.</summary>
    NoEffects,
}

/// <summary>
/// The values each <see cref="SimulatorPreset"/> gives the list model's effect keys; every other key keeps its default.
/// <c>rich</c> is calibrated (docs/simulator.md, "Regimes"; tested in <c>SimulatorPresetTests</c>) so that MMR and DPP
/// with their trade-off searched on validation stay at least 8% below the exhaustive optimum while the ranking stage's
/// list and random lists keep roughly their default ratios to it.
/// </summary>
public static class SimulatorPresets
{
    /// <summary>The effect values of <see cref="SimulatorPreset.Default"/> (the options' own defaults).</summary>
    public static EffectValues Default { get; } = new(
        Satiation: 1.5, Anchoring: 0.3, Complementarity: 0, ComplementsPerCategory: 2, ComplementarityCap: 1.0,
        SatiationUserSpread: 0, PatienceSpread: 0, PatienceFeatureNoise: 0.5);

    /// <summary>The effect values of <see cref="SimulatorPreset.Rich"/>.</summary>
    public static EffectValues Rich { get; } = new(
        Satiation: 1.5, Anchoring: 0.3, Complementarity: 2.0, ComplementsPerCategory: 2, ComplementarityCap: 1.0,
        SatiationUserSpread: 0.8, PatienceSpread: 0.6, PatienceFeatureNoise: 0.5);

    /// <summary>The effect values of <see cref="SimulatorPreset.NoEffects"/>.</summary>
    public static EffectValues NoEffects { get; } = Default with { Satiation = 0, Anchoring = 0 };

    /// <summary>The effect values of <paramref name="preset"/>.</summary>
    public static EffectValues Of(SimulatorPreset preset) => preset switch
    {
        SimulatorPreset.Default => Default,
        SimulatorPreset.Rich => Rich,
        SimulatorPreset.NoEffects => NoEffects,
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "unknown simulator preset"),
    };

    /// <summary>Sets <paramref name="options"/>' effect keys to <paramref name="preset"/>'s values.</summary>
    public static void Apply(SimulatorOptions options, SimulatorPreset preset)
    {
        ArgumentNullException.ThrowIfNull(options);
        var v = Of(preset);
        options.SatiationStrength = v.Satiation;
        options.AnchoringStrength = v.Anchoring;
        options.Complementarity = v.Complementarity;
        options.ComplementsPerCategory = v.ComplementsPerCategory;
        options.ComplementarityCap = v.ComplementarityCap;
        options.SatiationUserSpread = v.SatiationUserSpread;
        options.PatienceSpread = v.PatienceSpread;
        options.PatienceFeatureNoise = v.PatienceFeatureNoise;
    }

    /// <summary>The keys a preset sets.</summary>
    /// <param name="Satiation">η (<c>satiation_strength</c>).</param>
    /// <param name="Anchoring">κ (<c>anchoring_strength</c>).</param>
    /// <param name="Complementarity">ζ (<c>complementarity</c>).</param>
    /// <param name="ComplementsPerCategory"><c>complements_per_category</c>.</param>
    /// <param name="ComplementarityCap"><c>complementarity_cap</c>.</param>
    /// <param name="SatiationUserSpread">σ (<c>satiation_user_spread</c>).</param>
    /// <param name="PatienceSpread">ρ (<c>patience_spread</c>).</param>
    /// <param name="PatienceFeatureNoise">ν (<c>patience_feature_noise</c>).</param>
    public sealed record EffectValues(
        double Satiation,
        double Anchoring,
        double Complementarity,
        int ComplementsPerCategory,
        double ComplementarityCap,
        double SatiationUserSpread,
        double PatienceSpread,
        double PatienceFeatureNoise);
}
