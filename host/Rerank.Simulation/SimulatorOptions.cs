using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Simulation;

/// <summary>
/// Parameters of the simulator (<c>dataset: {type: simulator, params: {...}}</c>); every number of
/// <c>shared/SIMULATOR.md</c> is one of them, keys in snake_case (<c>slate_size</c>, <c>satiation_strength</c>, …).
/// </summary>
public sealed partial class SimulatorOptions : IValidatableOptions
{
    private SimulatorPreset _preset;

    // ---- Regime ----

    /// <summary>
    /// The list-model regime (<see cref="SimulatorPresets"/>): <c>default</c> (satiation and price anchoring only),
    /// <c>rich</c> (also complementarity and user-specific satiation and patience) or <c>no-effects</c> (none; sorting by
    /// true attractiveness is optimal). It sets the effects' keys; keys given beside it override it.
    /// </summary>
    [Preset]
    public SimulatorPreset Preset
    {
        get => _preset;
        set
        {
            SimulatorPresets.Apply(this, value);
            _preset = value;
        }
    }

    // ---- World ----

    /// <summary>Number of categories C. Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int Categories { get; set; } = 20;

    /// <summary>Zipf exponent s of category popularity (P(c) ∝ 1/(c+1)^s). Range: [0, 100].</summary>
    [Range(0.0, 100.0)]
    public double CategoryZipf { get; set; } = 1.1;

    /// <summary>Embedding dimension k. Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int EmbeddingDim { get; set; } = 16;

    /// <summary>Number of catalogue items. Range: [1, 1000000].</summary>
    [Range(1, 1_000_000)]
    public int Items { get; set; } = 1000;

    /// <summary>Spread of an item's embedding around its category centroid (e_j = normalize(μ_c + spread·z)). Range: [0, 100].</summary>
    [Range(0.0, 100.0)]
    public double ItemSpread { get; set; } = 0.5;

    /// <summary>Lower bound of the per-category log-price m_c ~ U(min, max). Range: [-50, 50].</summary>
    [Range(-50.0, 50.0)]
    public double LogPriceMin { get; set; } = 1.0;

    /// <summary>Upper bound of the per-category log-price. Range: [-50, 50].</summary>
    [Range(-50.0, 50.0)]
    public double LogPriceMax { get; set; } = 4.0;

    /// <summary>Standard deviation of an item's log-price around its category's (p_j = exp(m_c + spread·z)). Range: [0, 10].</summary>
    [Range(0.0, 10.0)]
    public double PriceSpread { get; set; } = 0.5;

    /// <summary>Number of users. Range: [1, 1000000].</summary>
    [Range(1, 1_000_000)]
    public int Users { get; set; } = 500;

    /// <summary>Lower bound of the price sensitivity s_u ~ U(min, max). Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double PriceSensitivityMin { get; set; } = 0.2;

    /// <summary>Upper bound of the price sensitivity. Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double PriceSensitivityMax { get; set; } = 1.0;

    /// <summary>Number of user segments (quantile buckets of s_u), the user_segment feature. Range: [1, 1000].</summary>
    [Range(1, 1000)]
    public int Segments { get; set; } = 4;

    /// <summary>Length of each user's click stream. Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int StreamLength { get; set; } = 300;

    /// <summary>Probability that the next stream item keeps the previous item's category. Range: [0, 1].</summary>
    [Range(0.0, 1.0)]
    public double StreamStay { get; set; } = 0.6;

    /// <summary>Temperature of stream draws (∝ exp(⟨w_u, e_j⟩ / T)). Range: (0, 100].</summary>
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public double StreamTemperature { get; set; } = 0.5;

    /// <summary>History length H (items before the cut). Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int HistoryLength { get; set; } = 50;

    /// <summary>Number of most recent history items whose mean embedding drives the current intent. Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int IntentWindow { get; set; } = 10;

    /// <summary>Weight of the long-term taste in the intent (v = normalize(a·normalize(w_u) + (1 − a)·normalize(recent mean))). Range: [0, 1].</summary>
    [Range(0.0, 1.0)]
    public double IntentTasteWeight { get; set; } = 0.5;

    // ---- One request ----

    /// <summary>Candidates per request N. Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int Candidates { get; set; } = 20;

    /// <summary>Slate size L (L ≤ N). Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int SlateSize { get; set; } = 5;

    /// <summary>Temperature of candidate draws (∝ exp(⟨w_u, e_j⟩ / T)). Range: (0, 100].</summary>
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public double CandidateTemperature { get; set; } = 1.0;

    /// <summary>Scale of the intent match in r_j = σ(scale·⟨v, e_j⟩ + q_weight·q_j + bias). Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double AttractivenessScale { get; set; } = 2.5;

    /// <summary>Weight of the quality q_j in r_j. Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double AttractivenessQuality { get; set; } = 0.5;

    /// <summary>Bias of r_j. Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double AttractivenessBias { get; set; } = -2.0;

    /// <summary>Bias of g_j = σ(bias + q_weight·q_j − s_u·(log p_j − pivot)). Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double ConversionBias { get; set; } = -1.0;

    /// <summary>Weight of the quality q_j in g_j. Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double ConversionQuality { get; set; } = 0.5;

    /// <summary>Log-price at which price sensitivity has no effect on g_j. Range: [-50, 50].</summary>
    [Range(-50.0, 50.0)]
    public double PricePivot { get; set; } = 2.5;

    /// <summary>Standard deviation of the logit noise of the ranking-stage priors ctr, cvr. Range: [0, 100].</summary>
    [Range(0.0, 100.0)]
    public double PriorNoise { get; set; } = 0.5;

    /// <summary>Standard deviation of the noise of the observable content embedding (renormalised). Range: [0, 100].</summary>
    [Range(0.0, 100.0)]
    public double EmbeddingNoise { get; set; } = 0.1;

    // ---- List model ----

    /// <summary>When false, satiation and price anchoring are off (η = κ = 0) whatever their values.</summary>
    public bool ListEffects { get; set; } = true;

    /// <summary>Satiation strength η. Range: [0, 100].</summary>
    [Range(0.0, 100.0)]
    public double SatiationStrength { get; set; } = 1.5;

    /// <summary>Satiation decay δ per position. Range: [0, 1].</summary>
    [Range(0.0, 1.0)]
    public double SatiationDecay { get; set; } = 0.8;

    /// <summary>Price anchoring strength κ. Range: [0, 100].</summary>
    [Range(0.0, 100.0)]
    public double AnchoringStrength { get; set; } = 0.3;

    /// <summary>Lower clip of the anchoring factor b_t. Range: (0, 1].</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double AnchoringMin { get; set; } = 0.5;

    /// <summary>Upper clip of the anchoring factor b_t. Range: [1, 100].</summary>
    [Range(1.0, 100.0)]
    public double AnchoringMax { get; set; } = 1.5;

    /// <summary>
    /// Complementarity strength ζ: an item whose category complements an earlier item's has its click probability
    /// multiplied by 1 + min(cap, ζ·Σ P(click) of those earlier items). 0 (default) turns the effect off. Range: [0, 100].
    /// </summary>
    [Range(0.0, 100.0)]
    public double Complementarity { get; set; }

    /// <summary>Complement categories of each category in the hidden, seeded category graph (at most C − 1 are used). Range: [0, 1000].</summary>
    [Range(0, 1000)]
    public int ComplementsPerCategory { get; set; } = 2;

    /// <summary>Cap on the complementarity increase: the factor is at most 1 + cap. Range: [0, 100].</summary>
    [Range(0.0, 100.0)]
    public double ComplementarityCap { get; set; } = 1.0;

    /// <summary>
    /// Spread σ of the user-specific satiation η_u = η·exp(σ·z_u), z_u ~ N(0, 1) per user; with σ &gt; 0 a user's click
    /// stream also keeps its category with probability stream_stay^exp(σ·z_u) (longer runs when η_u is low). 0 (default)
    /// turns the effect off. Range: [0, 10].
    /// </summary>
    [Range(0.0, 10.0)]
    public double SatiationUserSpread { get; set; }

    /// <summary>
    /// Spread ρ of the user-specific patience γ_u = exp(ρ·y_u), y_u ~ N(0, 1) per user, in the position decay
    /// β_t = 1 / log2(t + 1)^γ_u; with ρ &gt; 0 the user dense feature user_patience = y_u + noise is added. 0 (default)
    /// turns the effect off (γ_u = 1). Range: [0, 10].
    /// </summary>
    [Range(0.0, 10.0)]
    public double PatienceSpread { get; set; }

    /// <summary>Standard deviation of the noise in the observable user_patience feature (used when patience_spread &gt; 0). Range: [0, 100].</summary>
    [Range(0.0, 100.0)]
    public double PatienceFeatureNoise { get; set; } = 0.5;

    /// <summary>Utility weight of a click. Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ClickWeight { get; set; } = 1.0;

    /// <summary>Utility weight of a conversion. Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ConversionWeight { get; set; }

    /// <summary>Utility weight of GMV, scaled by the mean catalogue price (w_gmv·p_j/mean p·P(conv)). Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double GmvWeight { get; set; }

    // ---- Logs and sizes ----

    /// <summary>Temperature T of the Plackett–Luce logging policy over log ctr_j / T. Range: (0, 100].</summary>
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public double LoggingTemperature { get; set; } = 0.5;

    /// <summary>Logged lists for training. Range: [0, 10000000].</summary>
    [Range(0, 10_000_000)]
    public int TrainRequests { get; set; } = 20_000;

    /// <summary>Logged lists for validation. Range: [0, 10000000].</summary>
    [Range(0, 10_000_000)]
    public int ValidationRequests { get; set; } = 2_000;

    /// <summary>Test requests (no logs; scored by the ground truth). Range: [0, 10000000].</summary>
    [Range(0, 10_000_000)]
    public int TestRequests { get; set; } = 500;

    /// <summary>η in effect (0 when <see cref="ListEffects"/> is off).</summary>
    internal double EffectiveSatiation => ListEffects ? SatiationStrength : 0.0;

    /// <summary>κ in effect (0 when <see cref="ListEffects"/> is off).</summary>
    internal double EffectiveAnchoring => ListEffects ? AnchoringStrength : 0.0;

    /// <summary>A copy (options are mutable while binding only).</summary>
    internal SimulatorOptions Clone() => (SimulatorOptions)MemberwiseClone();
}
