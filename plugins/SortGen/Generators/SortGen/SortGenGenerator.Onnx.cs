using Rerank.Abstractions;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.SortGen;

internal sealed partial class SortGenGenerator : IOnnxExportable
{
    public bool CanExportOnnx => true;

    /// <summary>
    /// The trained generator as ONNX for <c>onnx@^1.0/generator</c>: its whole mask-driven generation in the graph
    /// (<see cref="SortGenGraph"/>: queues, per-step SORT values of every expansion, MMR, selection), unrolled over
    /// max_length steps, since V([S, i]) depends on the chosen prefix and so has no one-shot scores. Output
    /// <c>slates</c> int64 [batch, max_length], −1 after each request's min(slate_size, candidates) (rerank.max_positions =
    /// max_length: the onnx plugin refuses a larger slate_size, as the engine does); a second output <c>values</c> [batch, max_length, n] holds V([S, i])
    /// of every candidate at every step (before MMR). Queue scores and values are float32 in the graph (float64 in the
    /// engine), so only near-exact ties can break differently.
    /// </summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != "generator")
        {
            throw new InvalidOperationException($"{Name}: the SORT-Gen generator exports as onnx@^1.0/generator (its generation in the graph), not {settings.Kind}: the value of a candidate depends on the items chosen before it, so it has no one-shot scores");
        }

        var network = _model.ExportNetwork();
        var schema = _model.Schema;
        if (_options.Lambda < 1 && schema.EmbeddingWidth == 0)
        {
            throw new InvalidOperationException($"{Name}: integrated MMR (lambda {_options.Lambda} < 1) needs item embeddings, and the data's schema has none");
        }

        try
        {
            foreach (var q in _queues)
            {
                q.Check(schema, Name);
            }
        }
        catch (ComponentException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }

        var graph = new OnnxGraph(Name);
        var inputs = new OnnxInputs(graph);
        var (slates, values) = new SortGenGraph(graph, _options, schema, network, _model.MeanPrice).Build(inputs, _queues);
        graph.Output(slates, "slates", OnnxType.Int64, "batch", _options.MaxLength);
        graph.Output(values, "values", OnnxType.Float, "batch", _options.MaxLength, "n");
        return new OnnxExport(graph, inputs.Sources, "slates", "", _model.ExportMetadata(settings, "generator"));
    }
}
