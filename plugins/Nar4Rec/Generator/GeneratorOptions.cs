using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>Hyper-parameters of the NAR4Rec generator (§4.1–4.3, §5.1).</summary>
public sealed class GeneratorOptions : IValidatableOptions
{
    /// <summary>d, the common hidden width of candidates and positions.</summary>
    public int Dimension { get; set; } = 32;

    /// <summary>Attention heads (d must split into them).</summary>
    public int Heads { get; set; } = 4;

    /// <summary>Transformer layers of the candidates encoder.</summary>
    public int CandidateLayers { get; set; } = 1;

    /// <summary>Layers of the position encoder (self-attention, cross-attention to the candidates, FFN; eq. 11).</summary>
    public int PositionLayers { get; set; } = 1;

    /// <summary>Hidden width of the feed-forward blocks (eq. 10).</summary>
    public int FeedForward { get; set; } = 64;

    /// <summary>Width of each categorical feature embedding.</summary>
    public int FieldWidth { get; set; } = 8;

    /// <summary>m, the number of learnable position embeddings (the longest slate the model can fill).</summary>
    public int Positions { get; set; } = 10;

    /// <summary>Training epochs over the logged lists.</summary>
    public int Epochs { get; set; } = 3;

    /// <summary>Lists per training step (§5.1 uses 256 on Kuaishou).</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Adam learning rate (§5.1: 1e-3).</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Clip gradients to this global norm (0 = off).</summary>
    public float ClipNorm { get; set; } = 5f;

    /// <summary>τ, the utility threshold between positive and negative sequences (eq. 15).</summary>
    public double Tau { get; set; } = 1.0;

    /// <summary>Weight of clicks in the utility R(u, Y) (§3.1).</summary>
    public double ClickWeight { get; set; } = 1.0;

    /// <summary>Weight of conversions in the utility R(u, Y) (§3.1).</summary>
    public double ConversionWeight { get; set; }

    /// <summary>
    /// true: eq. 15 (likelihood on positive sequences, unlikelihood on negative ones); false: the ablation "w/o unlikelihood",
    /// plain likelihood (eq. 13) on every logged sequence.
    /// </summary>
    public bool Unlikelihood { get; set; } = true;

    /// <summary>ω, the weight of the contrastive losses L_position + L_item (eq. 18–20); 0 is the ablation "w/o contrastive losses".</summary>
    public float Omega { get; set; } = 0.01f;

    /// <summary>ρ, the margin of the contrastive losses (eq. 18–19).</summary>
    public float Rho { get; set; } = 0.5f;

    /// <summary>α values of contrastive decoding (eq. 16) when the component runs as a generator: slate k uses alphas[k].</summary>
    public float[] Alphas { get; set; } = [0.5f];

    /// <summary>s(·,·) of contrastive decoding when the component runs as a generator (see <see cref="ContrastiveOptions.Similarity"/>).</summary>
    public SimilaritySource Similarity { get; set; } = SimilaritySource.Representations;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Dimension <= 0 || Heads <= 0 || Dimension % Heads != 0)
        {
            yield return $"dimension ({Dimension}) must be positive and split into heads ({Heads})";
        }

        if (CandidateLayers < 1 || PositionLayers < 1)
        {
            yield return $"candidate_layers ({CandidateLayers}) and position_layers ({PositionLayers}) must be at least 1";
        }

        if (FeedForward <= 0 || FieldWidth <= 0 || Positions <= 0)
        {
            yield return "feed_forward, field_width and positions must be positive";
        }

        if (Epochs < 1 || BatchSize < 1)
        {
            yield return $"epochs ({Epochs}) and batch_size ({BatchSize}) must be at least 1";
        }

        if (!(LearningRate > 0) || ClipNorm < 0)
        {
            yield return $"learning_rate ({LearningRate}) must be positive and clip_norm ({ClipNorm}) non-negative";
        }

        if (ClickWeight < 0 || ConversionWeight < 0 || ClickWeight + ConversionWeight <= 0)
        {
            yield return "click_weight and conversion_weight must be non-negative, at least one positive";
        }

        if (Omega < 0 || Rho < -1 || Rho > 1)
        {
            yield return $"omega ({Omega}) must be non-negative and rho ({Rho}) in [-1, 1]";
        }

        if (Alphas.Length == 0 || Alphas.Any(a => a < 0 || a > 1))
        {
            yield return "alphas must hold at least one value, each in [0, 1]";
        }
    }
}
