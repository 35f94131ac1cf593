using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;
using Rerank.Engine.Training;

namespace Rerank.Plugins.DeGRe;

/// <summary>Options of the lookahead evaluator DeGRe-E (§4.1); defaults follow §5.1.4 where the paper gives them.</summary>
public sealed class EvaluatorOptions : IValidatableOptions
{
    /// <summary>N_E, causal Transformer layers (YAML <c>layers</c>, paper 6). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Layers { get; set; } = 6;

    /// <summary>Field embedding size (YAML <c>embedding_size</c>, paper 16). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int EmbeddingSize { get; set; } = 16;

    /// <summary>Width d of the causal Transformer (YAML <c>model_width</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int ModelWidth { get; set; } = 64;

    /// <summary>Attention heads of the causal Transformer (YAML <c>heads</c>). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 4;

    /// <summary>Heads of the inter-domain attention across fields (YAML <c>field_heads</c>). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int FieldHeads { get; set; } = 2;

    /// <summary>Recent history items pooled into the user's history field (YAML <c>history_window</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int HistoryWindow { get; set; } = 10;

    /// <summary>Longest slate the evaluator accepts: the L of the L×L logits (YAML <c>max_length</c>). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int MaxLength { get; set; } = 10;

    /// <summary>
    /// Training: epochs (default 4), examples per step (<c>batch_size</c>, default 128), Adam's <c>learning_rate</c>
    /// (default 5e-4, as in the paper), optional <c>weight_decay</c> and <c>seed</c> — the settings every trainable
    /// component shares, written at this level in YAML (see <see cref="TrainingOptions"/> for their ranges). The paper's
    /// batch of 1024 is for logs ~100× larger than the simulator's.
    /// </summary>
    [InlineParams("learning_rate", "batch_size", "epochs", "weight_decay", "seed")]
    public TrainingOptions Training { get; set; } = new() { Epochs = 4, BatchSize = 128, LearningRate = 5e-4 };

    /// <summary>Prefix sequences per forward pass when scoring (YAML <c>scoring_batch</c>). Range: [1, 65536].</summary>
    [Range(1, 65_536)]
    public int ScoringBatch { get; set; } = 4096;

    /// <summary>Categorical fields (schema names, e.g. <c>item_id</c>) left out of the feature processing (YAML <c>exclude_fields</c>; default none).</summary>
    public string[] ExcludeFields { get; set; } = [];

    /// <summary>
    /// Whether every position also reads list-context fields, the content similarity of its item to the items before it
    /// (YAML <c>list_context</c>; default off, the paper's fields only). An extension: see docs/degre.md, "Deviations".
    /// Nullable so that, left unset, it stays out of the params a component's seed is derived from: experiments written
    /// before the option existed keep their weights.
    /// </summary>
    public bool? ListContext { get; set; }

    /// <summary>
    /// Whether every position also reads its candidate's history affinity, the cosine between its content embedding and
    /// the mean content of the <c>history_window</c> most recent history items (YAML <c>history_affinity</c>; default
    /// off). An extension: see docs/degre.md, "Deviations". Nullable for the same reason as <see cref="ListContext"/>.
    /// </summary>
    public bool? HistoryAffinity { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (ModelWidth % Math.Max(1, Heads) != 0)
        {
            yield return $"model_width ({ModelWidth}) must be divisible by heads ({Heads})";
        }

        if (EmbeddingSize % Math.Max(1, FieldHeads) != 0)
        {
            yield return $"embedding_size ({EmbeddingSize}) must be divisible by field_heads ({FieldHeads})";
        }
    }
}
