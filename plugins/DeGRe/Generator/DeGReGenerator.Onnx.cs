using System.Globalization;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

internal sealed partial class DeGReGenerator : IOnnxExportable
{
    public bool CanExportOnnx => true;

    /// <summary>
    /// The trained generator as ONNX for <c>onnx@^1.0/generator</c>: its greedy decoding itself (the pointer is
    /// autoregressive — step t reads the items chosen before it — so it is no one-shot scorer), unrolled over max_length
    /// steps in the graph. Output <c>slates</c> int64 [batch, max_length], −1 after each request's
    /// min(slate_size, candidates), and rerank.max_positions = max_length, so that the onnx plugin refuses a larger
    /// slate_size as the engine does; a second output
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
        var limits = new Dictionary<string, string> { ["rerank.max_positions"] = _model.MaxLength.ToString(CultureInfo.InvariantCulture) };
        var metadata = OnnxExport.MetadataFor(TrainedWeights.Identity(_context, _options, _schema), "generator", settings, limits);
        return new OnnxExport(graph, inputs.Sources, "slates", "", metadata);
    }
}
