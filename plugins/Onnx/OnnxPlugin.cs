using Rerank.Abstractions;

namespace Rerank.Plugins.Onnx;

/// <summary>
/// Models trained outside Rerank (PyTorch, TensorFlow, …) exported as ONNX and run by ONNX Runtime, whose native library
/// ships in this plugin's folder. The model file is the component's <c>checkpoint:</c>; <c>params.inputs</c> maps the
/// model's named inputs to batch fields, and loading checks every name, element type and rank against that mapping and
/// the data's schema.
/// </summary>
public sealed class OnnxPlugin : IRerankPlugin
{
    /// <inheritdoc />
    public string Id => "onnx";

    /// <inheritdoc />
    public string Version => "1.0.0";

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddScorer<OnnxScorerOptions>("scorer", static (o, c) => new OnnxScorer(o, c), "An ONNX model's candidate scores [B, N] (item scores) or per-position log-probabilities [B, L, N], for any decoder.")
            .AddEvaluator<OnnxEvaluatorOptions>("evaluator", static (o, c) => new OnnxEvaluator(o, c), "An ONNX model's value of each list: [R] per slate, or [R, L] per position (summed).")
            .AddGenerator<OnnxGeneratorOptions>("generator", static (o, c) => new OnnxGenerator(o, c), "An ONNX model that emits slates: candidate indices [B, L] or [B, K, L].");
    }
}
