using System.Globalization;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

/// <summary>The ONNX export of DeGRe-E, served by <c>onnx@^1.0/evaluator</c>.</summary>
internal sealed partial class LookaheadEvaluator : IOnnxExportable
{
    /// <summary>Always: every field the model reads, context included, has an <c>onnx</c> plugin source.</summary>
    public bool CanExportOnnx => true;

    /// <summary>
    /// The trained evaluator as ONNX for <c>onnx@^1.0/evaluator</c>: one row per slate, output <c>value</c> [rows], V̂ at
    /// the slate's last position (eq. 4), the value <see cref="Evaluate"/> gives; the list-context and history-affinity
    /// fields are computed in the graph from slate_embeddings and the history. As a step scorer DeGRe-E scores prefix
    /// values, which <c>onnx@^1.0/scorer</c> (item scores or per-position log-probabilities) cannot express, so it
    /// exports as an evaluator only.
    /// </summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != "evaluator")
        {
            throw new InvalidOperationException($"{Name}: DeGRe-E exports as onnx@^1.0/evaluator (slate values), not {settings.Kind}; its step scores are prefix values, which onnx@^1.0/scorer cannot express");
        }

        if (_model is null || _schema is null || !IsTrained)
        {
            throw new InvalidOperationException($"{Name}: the evaluator is not trained; train or load it before exporting.");
        }

        var graph = new OnnxGraph(Name);
        var inputs = new OnnxInputs(graph, "rows");
        graph.Output(_model.ToOnnx(inputs), "value", OnnxType.Float, "rows");
        var metadata = OnnxExport.MetadataFor(
            TrainedWeights.Identity(_component, _options, _schema),
            "evaluator",
            settings,
            [KeyValuePair.Create("rerank.max_positions", _model.MaxLength.ToString(CultureInfo.InvariantCulture))]); // max_length, which the onnx plugin checks slates against
        return new OnnxExport(graph, inputs.Sources, "value", "", metadata);
    }
}
