using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;
using Rerank.Engine.Training;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>Hyper-parameters of the NAR4Rec generator (§4.1–4.3, §5.1).</summary>
public sealed class GeneratorOptions : IValidatableOptions
{
    /// <summary>d, the common hidden width of candidates and positions. Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int Dimension { get; set; } = 32;

    /// <summary>Attention heads (d must split into them). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 4;

    /// <summary>Transformer layers of the candidates encoder. Range: [1, 64].</summary>
    [Range(1, 64)]
    public int CandidateLayers { get; set; } = 1;

    /// <summary>Layers of the position encoder (self-attention, cross-attention to the candidates, FFN; eq. 11). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int PositionLayers { get; set; } = 1;

    /// <summary>Hidden width of the feed-forward blocks (eq. 10). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int FeedForward { get; set; } = 64;

    /// <summary>Width of each categorical feature embedding. Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int FieldWidth { get; set; } = 8;

    /// <summary>m, the number of learnable position embeddings (the longest slate the model can fill). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int Positions { get; set; } = 10;

    /// <summary>
    /// Training: epochs (default 3), examples per step (<c>batch_size</c>, default 256), Adam's <c>learning_rate</c>
    /// (default 1e-3; §5.1: batch 256 and 1e-3 on Kuaishou), optional <c>weight_decay</c> and <c>seed</c> — the
    /// settings every trainable component shares, written at this level in YAML (see <see cref="TrainingOptions"/> for
    /// their ranges).
    /// </summary>
    [InlineParams]
    public TrainingOptions Training { get; set; } = new() { Epochs = 3, BatchSize = 256, LearningRate = 1e-3 };

    /// <summary>Clip gradients to this global norm (0 = off). Range: [0, 10000].</summary>
    [Range(0.0, 10_000.0)]
    public float ClipNorm { get; set; } = 5f;

    /// <summary>τ, the utility threshold between positive and negative sequences (eq. 15). Range: [0, 1000000].</summary>
    [Range(0.0, 1_000_000.0)]
    public double Tau { get; set; } = 1.0;

    /// <summary>Weight of clicks in the utility R(u, Y) (§3.1). Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ClickWeight { get; set; } = 1.0;

    /// <summary>Weight of conversions in the utility R(u, Y) (§3.1). Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ConversionWeight { get; set; }

    /// <summary>
    /// true: eq. 15 (likelihood on positive sequences, unlikelihood on negative ones); false: the ablation "w/o unlikelihood",
    /// plain likelihood (eq. 13) on every logged sequence.
    /// </summary>
    public bool Unlikelihood { get; set; } = true;

    /// <summary>ω, the weight of the contrastive losses L_position + L_item (eq. 18–20); 0 is the ablation "w/o contrastive losses". Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public float Omega { get; set; } = 0.01f;

    /// <summary>ρ, the margin of the contrastive losses (eq. 18–19). Range: [-1, 1].</summary>
    [Range(-1.0, 1.0)]
    public float Rho { get; set; } = 0.5f;

    /// <summary>α values of contrastive decoding (eq. 16) when the component runs as a generator: slate k uses alphas[k]. Range: [0, 1] each.</summary>
    [Range(0.0, 1.0)]
    public float[] Alphas { get; set; } = [0.5f];

    /// <summary>s(·,·) of contrastive decoding when the component runs as a generator (see <see cref="ContrastiveOptions.Similarity"/>).</summary>
    public SimilaritySource Similarity { get; set; } = SimilaritySource.Representations;

    /// <summary>
    /// With <c>device: cuda</c>, run both encoders and the probability matrix of a batch as one CUDA graph, captured
    /// per batch size (padded to a power of two) and replayed, instead of launching their kernels one by one; the
    /// embedding lookups and decoding stay eager. No effect on the CPU. Off by default until measured on a GPU
    /// (docs/gpu.md). An execution setting: it changes neither the seed nor what a checkpoint records.
    /// </summary>
    [ExecutionSetting]
    public bool? CudaGraphs { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Dimension <= 0 || Heads <= 0 || Dimension % Heads != 0)
        {
            yield return $"dimension ({Dimension}) must be positive and split into heads ({Heads})";
        }

        if (ClickWeight < 0 || ConversionWeight < 0 || ClickWeight + ConversionWeight <= 0)
        {
            yield return "click_weight and conversion_weight must be non-negative, at least one positive";
        }

        if (Alphas is null || Alphas.Length == 0)
        {
            yield return "alphas must hold at least one value";
        }
    }
}
