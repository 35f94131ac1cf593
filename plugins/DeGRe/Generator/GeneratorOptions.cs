using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;
using Rerank.Engine.Training;

namespace Rerank.Plugins.DeGRe;

/// <summary>Options of the online generator DeGRe-G (§4.3) and of the mining that supervises it (§4.2); defaults follow §5.1.4.</summary>
public sealed class GeneratorOptions : IValidatableOptions
{
    /// <summary>The lookahead evaluator that mines the supervision (YAML <c>teacher</c>), built with <see cref="TeacherParams"/>.</summary>
    public string Teacher { get; set; } = "degre@^1.0/evaluator";

    /// <summary>
    /// The teacher's params (YAML <c>teacher_params</c>, a mapping of evaluator params; unset: its defaults). The teacher
    /// is the same instance as an <c>evaluators:</c> entry or scorer with the same reference and params, trained once.
    /// </summary>
    public EvaluatorOptions? TeacherParams { get; set; }

    /// <summary>Where the supervision comes from (YAML <c>supervision</c>): <c>mined</c> (beam search, §4.2) or <c>exposure</c> (the logged lists, the "exposure only" ablation).</summary>
    public string Supervision { get; set; } = "mined";

    /// <summary>Optional file of mined supervision (from <c>rerank mine</c>, shards concatenated) used instead of mining again (YAML <c>mined</c>).</summary>
    public string Mined { get; set; } = "";

    /// <summary>Beam width B of the mining (YAML <c>beam_width</c>). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int BeamWidth { get; set; } = 8;

    /// <summary>Per-beam pre-truncation of the mining's expansions, 0 keeps all (YAML <c>top_k</c>). Range: [0, 1024].</summary>
    [Range(0, 1024)]
    public int TopK { get; set; }

    /// <summary>τ_w of the sequence weights, eq. 10 (YAML <c>weight_temperature</c>). Range: (0, 1000].</summary>
    [Range(0.0, 1000.0, MinimumIsExclusive = true)]
    public double WeightTemperature { get; set; } = 0.1;

    /// <summary>Mine (and distil) only the first this many training requests; 0 mines them all (YAML <c>mine_requests</c>). Range: [0, 10000000].</summary>
    [Range(0, 10_000_000)]
    public int MineRequests { get; set; }

    /// <summary>
    /// Mine only the first this many validation requests, the set whose distillation loss picks the epoch kept (early
    /// stopping); unset mines them all (YAML <c>mine_validation_requests</c>; unset, it stays out of the params the
    /// component's seed derives from, so experiments written before it keep their weights). Range: [1, 10000000].
    /// </summary>
    [Range(1, 10_000_000)]
    public int? MineValidationRequests { get; set; }

    /// <summary>Requests per mining batch (YAML <c>mine_chunk</c>). Range: [1, 65536].</summary>
    [Range(1, 65_536)]
    public int MineChunk { get; set; } = 64;

    /// <summary>α, the weight of the value-alignment KL term, eq. 13 (YAML <c>alpha</c>, paper 0.01). Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double Alpha { get; set; } = 0.01;

    /// <summary>Whether the lookahead-imitation CE term is used (YAML <c>hard_label</c>; false: the "w/o hard label" ablation).</summary>
    public bool HardLabel { get; set; } = true;

    /// <summary>Whether the KL term is used (YAML <c>soft_label</c>; false: the "w/o soft label" ablation).</summary>
    public bool SoftLabel { get; set; } = true;

    /// <summary>Whether lists are weighted by w_l (YAML <c>sequence_weighting</c>; false: every w_l = 1).</summary>
    public bool SequenceWeighting { get; set; } = true;

    /// <summary>N_G, layers of the candidate encoder and of the decoder (YAML <c>layers</c>, paper 4). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Layers { get; set; } = 4;

    /// <summary>Field embedding size (YAML <c>embedding_size</c>, paper 16). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int EmbeddingSize { get; set; } = 16;

    /// <summary>Width d of the encoder and decoder (YAML <c>model_width</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int ModelWidth { get; set; } = 64;

    /// <summary>Attention heads (YAML <c>heads</c>). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 4;

    /// <summary>Heads of the inter-domain attention across fields (YAML <c>field_heads</c>). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int FieldHeads { get; set; } = 2;

    /// <summary>Recent history items pooled into the user's history field (YAML <c>history_window</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int HistoryWindow { get; set; } = 10;

    /// <summary>Longest slate (YAML <c>max_length</c>). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int MaxLength { get; set; } = 10;

    /// <summary>
    /// Training: epochs (default 10), examples per step (<c>batch_size</c>, default 64), Adam's <c>learning_rate</c>
    /// (default 5e-4, as in the paper), optional <c>weight_decay</c> and <c>seed</c> — the settings every trainable
    /// component shares, written at this level in YAML (see <see cref="TrainingOptions"/> for their ranges). A step takes
    /// <c>batch_size</c> requests, each with its T_syn (the paper: 1024, on far larger logs).
    /// </summary>
    [InlineParams("learning_rate", "batch_size", "epochs", "weight_decay", "seed")]
    public TrainingOptions Training { get; set; } = new() { Epochs = 10, BatchSize = 64, LearningRate = 5e-4 };

    /// <summary>Categorical fields (schema names, e.g. <c>item_id</c>) left out of the feature processing (YAML <c>exclude_fields</c>; default none).</summary>
    public string[] ExcludeFields { get; set; } = [];

    /// <summary>
    /// Whether the pointer also reads, for every candidate at step t, its list-context fields against the items chosen
    /// before t (YAML <c>list_context</c>; default off): the evaluator's extension fields, so a student can read what its
    /// teacher reads. Nullable so that, left unset, it stays out of the params the component's seed is derived from.
    /// </summary>
    public bool? ListContext { get; set; }

    /// <summary>Whether the pointer also reads each candidate's history affinity (YAML <c>history_affinity</c>; default off; see <see cref="ListContext"/>).</summary>
    public bool? HistoryAffinity { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        // Bound from YAML, the teacher's values were range-checked at their locations; built in code, they are checked here.
        foreach (var error in TeacherParams is null ? [] : OptionsBinder.RangeErrors(TeacherParams).Concat(TeacherParams.Validate()))
        {
            yield return $"teacher_params: {error}";
        }

        if (Supervision is not ("mined" or "exposure"))
        {
            yield return $"supervision must be 'mined' or 'exposure', got '{Supervision}'";
        }

        if (!HardLabel && !SoftLabel)
        {
            yield return "hard_label and soft_label cannot both be false: the loss would be empty";
        }

        if (ModelWidth % Math.Max(1, Heads) != 0 || EmbeddingSize % Math.Max(1, FieldHeads) != 0)
        {
            yield return $"model_width ({ModelWidth}) must divide by heads ({Heads}) and embedding_size ({EmbeddingSize}) by field_heads ({FieldHeads})";
        }
    }
}
