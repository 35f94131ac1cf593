using System.Globalization;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

internal sealed partial class DeGReGenerator : IOnnxExportable
{
    public bool CanExportOnnx => true;

    /// <summary>
    /// The trained generator as ONNX for <c>onnx@^1.0/generator</c>: its greedy decoding itself (the pointer is
    /// autoregressive — step t reads the items chosen before it — so it is no one-shot scorer), unrolled over max_length
    /// steps in the graph. Output <c>slates</c> int64 [batch, max_length], −1 after each request's
    /// min(slate_size, candidates) (a slate_size above max_length is cut there: the engine refuses it); a second output
    /// <c>log_probs</c> [batch, max_length, n] holds each step's pointer log-probabilities. Decoding the generator as a
    /// step scorer under another decoder (beam, sampling) stays with the engine.
    /// </summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != "generator")
        {
            throw new InvalidOperationException($"{Name}: the DeGRe generator exports as onnx@^1.0/generator (its greedy pointer decoding in the graph), not {settings.Kind}: its pointer reads the items chosen before each step, so it has no one-shot scores");
        }

        if (_model is null || _schema is null || !IsTrained)
        {
            throw new InvalidOperationException($"{Name}: the generator is not trained; train or load it before exporting.");
        }

        var graph = new OnnxGraph(Name);
        var inputs = new OnnxInputs(graph);
        var (slates, logp) = _model.ToOnnx(graph, inputs);
        graph.Output(slates, "slates", OnnxType.Int64, "batch", _model.MaxLength);
        graph.Output(logp, "log_probs", OnnxType.Float, "batch", _model.MaxLength, "n");
        var metadata = new Dictionary<string, string>
        {
            ["rerank.plugin"] = _context.PluginId,
            ["rerank.plugin_version"] = _context.PluginVersion,
            ["rerank.component"] = Name,
            ["rerank.kind"] = "generator",
            ["rerank.options"] = HyperParameters.From(_options).Json,
            ["rerank.schema"] = _schema.Describe(),
            ["rerank.engine_version"] = OnnxExport.EngineVersion,
            ["rerank.max_length"] = _model.MaxLength.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings.Metadata ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        return new OnnxExport(graph, inputs.Sources, "slates", "", metadata);
    }
}
