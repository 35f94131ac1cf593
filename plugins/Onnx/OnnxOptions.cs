using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Plugins.Onnx;

/// <summary>The batch field a model input is fed from (YAML <c>from</c>, snake_case).</summary>
public enum InputSource
{
    /// <summary>float32 [B, N, P + F + E]: each candidate's priors (schema order) ‖ item dense features ‖ embedding.</summary>
    CandidateFeatures,

    /// <summary>[B, N]: 1 for a real candidate, 0 for padding (float32, bool or int64, as the model declares).</summary>
    CandidateMask,

    /// <summary>float32 [B, N, P]: the ranking stage's priors.</summary>
    Priors,

    /// <summary>float32 [B, N, F]: item dense features.</summary>
    ItemDense,

    /// <summary>float32 [B, N, E]: item embeddings.</summary>
    Embeddings,

    /// <summary>int64 [B, N, C]: item categorical ids.</summary>
    ItemCategorical,

    /// <summary>int64 [B, Cu]: user categorical ids.</summary>
    UserCategorical,

    /// <summary>float32 [B, Fu]: user dense features.</summary>
    UserDense,

    /// <summary>int64 [B, H, C]: the history's item categorical ids.</summary>
    HistoryCategorical,

    /// <summary>float32 [B, H, F]: the history's item dense features.</summary>
    HistoryDense,

    /// <summary>float32 [B, H, E]: the history's item embeddings.</summary>
    HistoryEmbeddings,

    /// <summary>[B, H]: 1 for a real history item.</summary>
    HistoryMask,

    /// <summary>Evaluators: float32 [R, L, P + F + E], the candidate features of each slate in slate order (one row per slate).</summary>
    SlateFeatures,

    /// <summary>Evaluators: [R, L], 1 where the slate has an item.</summary>
    SlateMask,

    /// <summary>Scorers and generators: int64 [B], each request's slate size (the positions a per-position model fills).</summary>
    SlateSize,

    /// <summary>Evaluators: int64 [R, L, C], the item categorical ids of each slate in slate order.</summary>
    SlateCategorical,

    /// <summary>Evaluators: float32 [R, L, P], the priors of each slate's items in slate order.</summary>
    SlatePriors,

    /// <summary>Evaluators: float32 [R, L, F], the item dense features of each slate's items in slate order.</summary>
    SlateDense,

    /// <summary>Evaluators: float32 [R, L, E], the embeddings of each slate's items in slate order.</summary>
    SlateEmbeddings,

    /// <summary>float32 [B, N]: each candidate's price (0 for padding).</summary>
    Prices,

    /// <summary>Evaluators: float32 [R, L], the prices of each slate's items in slate order.</summary>
    SlatePrices,

    /// <summary>int64 [B, Cc]: context categorical ids.</summary>
    ContextCategorical,

    /// <summary>float32 [B, Fc]: context dense features.</summary>
    ContextDense,
}

/// <summary>Where ONNX Runtime runs the model.</summary>
public enum ExecutionProvider
{
    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>CUDA; falls back to the CPU with one log line when ONNX Runtime's CUDA provider or its libraries are missing.</summary>
    Cuda,
}

/// <summary>What a scorer's output means.</summary>
public enum ScorerOutputKind
{
    /// <summary>float32 [B, N]: one score per candidate, the same at every step (higher is better).</summary>
    ItemScores,

    /// <summary>float32 [B, L, N]: the log-probability of each candidate at each position (step t reads row t).</summary>
    PositionLogProbs,
}

/// <summary>One model input and the batch field that feeds it.</summary>
public sealed class OnnxInput
{
    /// <summary>The model's input name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The batch field.</summary>
    public InputSource From { get; set; }
}

/// <summary>Options every ONNX component has.</summary>
public abstract class OnnxModelOptions : IValidatableOptions
{
    /// <summary>Every model input and the batch field it is fed from (each model input exactly once).</summary>
    public List<OnnxInput> Inputs { get; set; } = [];

    /// <summary>The model output to read (default: the model's only output).</summary>
    public string? Output { get; set; }

    /// <summary>cpu or cuda.</summary>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Cpu;

    /// <summary>Threads inside one operator (0: ONNX Runtime's default, one per core). 1 keeps a server's workers from competing.</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Threads across independent operators (0: ONNX Runtime's default).</summary>
    [Range(0, 1024)]
    public int InterOpThreads { get; set; } = 1;

    /// <summary>The sources this kind of component can feed.</summary>
    internal abstract IReadOnlySet<InputSource> Allowed { get; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Inputs.Count == 0)
        {
            var example = Allowed.Contains(InputSource.SlateFeatures) ? "slate_features" : "candidate_features";
            yield return $"inputs: name at least one model input and its source, e.g. [{{ name: features, from: {example} }}]";
        }

        for (var i = 0; i < Inputs.Count; i++)
        {
            var input = Inputs[i];
            if (string.IsNullOrWhiteSpace(input.Name))
            {
                yield return $"inputs[{i}].name is empty";
            }
            else if (Inputs.Take(i).Any(o => o.Name == input.Name))
            {
                yield return $"inputs[{i}]: model input '{input.Name}' is mapped twice";
            }

            if (!Allowed.Contains(input.From))
            {
                yield return $"inputs[{i}].from: {Names.Of(input.From)} cannot feed this component; use one of {string.Join(", ", Allowed.Select(Names.Of))}";
            }
        }
    }
}

/// <summary>Options of <c>onnx/scorer</c>.</summary>
public sealed class OnnxScorerOptions : OnnxModelOptions
{
    /// <summary>item_scores ([B, N]) or position_log_probs ([B, L, N]).</summary>
    public ScorerOutputKind OutputKind { get; set; } = ScorerOutputKind.ItemScores;

    internal override IReadOnlySet<InputSource> Allowed => Sources.Request;
}

/// <summary>Options of <c>onnx/evaluator</c>.</summary>
public sealed class OnnxEvaluatorOptions : OnnxModelOptions
{
    internal override IReadOnlySet<InputSource> Allowed => Sources.Slate;
}

/// <summary>Options of <c>onnx/generator</c>.</summary>
public sealed class OnnxGeneratorOptions : OnnxModelOptions
{
    internal override IReadOnlySet<InputSource> Allowed => Sources.Request;
}

/// <summary>Which sources feed which kind.</summary>
internal static class Sources
{
    private static readonly InputSource[] RequestLevel =
        [InputSource.UserCategorical, InputSource.UserDense, InputSource.ContextCategorical, InputSource.ContextDense, InputSource.HistoryCategorical, InputSource.HistoryDense, InputSource.HistoryEmbeddings, InputSource.HistoryMask];

    /// <summary>Scorers and generators: candidate fields and request-level fields.</summary>
    public static readonly IReadOnlySet<InputSource> Request = new HashSet<InputSource>(
        [InputSource.CandidateFeatures, InputSource.CandidateMask, InputSource.Priors, InputSource.ItemDense, InputSource.Embeddings, InputSource.ItemCategorical, InputSource.Prices, InputSource.SlateSize, .. RequestLevel]);

    /// <summary>Evaluators: one row per slate; request-level fields are repeated for each of a request's slates.</summary>
    public static readonly IReadOnlySet<InputSource> Slate = new HashSet<InputSource>(
        [InputSource.SlateFeatures, InputSource.SlateMask, InputSource.SlateCategorical, InputSource.SlatePriors, InputSource.SlateDense, InputSource.SlateEmbeddings, InputSource.SlatePrices, .. RequestLevel]);
}

/// <summary>YAML spellings.</summary>
internal static class Names
{
    /// <summary>snake_case of an enum value, as YAML writes it.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        var text = value.ToString();
        var chars = new System.Text.StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0)
            {
                chars.Append('_');
            }

            chars.Append(char.ToLowerInvariant(text[i]));
        }

        return chars.ToString();
    }
}
