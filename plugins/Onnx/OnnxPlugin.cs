using System.Reflection;
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
    /// <remarks>
    /// The version the project builds (MSBuild's <c>Version</c>, which the manifest also takes), read from the assembly, so
    /// that one project builds any version of the plugin: the side-by-side tests build it a second time as 1.1.0.
    /// </remarks>
    public string Version { get; } = BuiltVersion();

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddScorer<OnnxScorerOptions>("scorer", static (o, c) => new OnnxScorer(o, c), "An ONNX model's candidate scores [B, N] (item scores) or per-position log-probabilities [B, L, N], for any decoder.")
            .AddEvaluator<OnnxEvaluatorOptions>("evaluator", static (o, c) => new OnnxEvaluator(o, c), "An ONNX model's value of each list: [R] per slate, or [R, L] per position (summed).")
            .AddGenerator<OnnxGeneratorOptions>("generator", static (o, c) => new OnnxGenerator(o, c), "An ONNX model that emits slates: candidate indices [B, L] or [B, K, L].");
    }

    /// <summary>The assembly's informational version (MSBuild's <c>Version</c>) without build metadata (<c>+commit</c>).</summary>
    private static string BuiltVersion()
    {
        var version = typeof(OnnxPlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? throw new InvalidOperationException("Rerank.Plugins.Onnx has no informational version; it is built by its project, which sets Version");
        return version.Split('+')[0];
    }
}
