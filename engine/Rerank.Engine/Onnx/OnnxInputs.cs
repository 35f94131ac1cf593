namespace Rerank.Engine.Onnx;

/// <summary>
/// The inputs an export declares, each named after the <c>onnx</c>-plugin source that feeds it (e.g.
/// <c>candidate_mask</c>): a source several parts of a model read is declared once, and <see cref="Sources"/> lists
/// them in declaration order, as <see cref="OnnxExport"/> takes them.
/// </summary>
public sealed class OnnxInputs
{
    private readonly OnnxGraph _graph;
    private readonly string _rows;
    private readonly Dictionary<string, OnnxValue> _declared = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _sources = [];

    /// <summary>Declares inputs of <paramref name="graph"/>, whose first axis is named <paramref name="rows"/> (requests: <c>batch</c>; an evaluator's slates: <c>rows</c>).</summary>
    public OnnxInputs(OnnxGraph graph, string rows = "batch")
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
        _rows = rows;
    }

    /// <summary>Model input name → <c>onnx</c> plugin source, in declaration order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sources => _sources;

    /// <summary>The graph input fed from <paramref name="source"/>, declared with <paramref name="type"/> and <paramref name="dims"/> the first time.</summary>
    public OnnxValue Get(string source, OnnxType type, params OnnxDim[] dims)
    {
        if (!_declared.TryGetValue(source, out var value))
        {
            value = _graph.Input(source, type, dims);
            _declared[source] = value;
            _sources.Add(new(source, source));
        }

        return value;
    }

    /// <summary>
    /// The sum of the embeddings of the <paramref name="window"/> most recent history items <c>[batch, width]</c> and
    /// their number <c>[batch, 1]</c>, read from history_embeddings and history_mask (real items first, as batches pad;
    /// a batch without history has h = 0 and gives zeros).
    /// </summary>
    public (OnnxValue Sum, OnnxValue Count) RecentHistory(int width, int window)
    {
        var history = Get("history_embeddings", OnnxType.Float, _rows, "h", width);
        var mask = Get("history_mask", OnnxType.Float, _rows, "h");
        var count = _graph.ReduceSum(mask, true, 1);
        var positions = _graph.Cast(_graph.Range(_graph.Scalar(0L), _graph.Squeeze(_graph.Shape(mask, 1, 2), 0), _graph.Scalar(1L)), OnnxType.Float);
        var recent = _graph.Cast(_graph.GreaterOrEqual(_graph.Unsqueeze(positions, 0), _graph.Sub(count, _graph.Scalar((float)window))), OnnxType.Float);
        var kept = _graph.Mul(mask, recent);
        return (_graph.ReduceSum(_graph.Mul(history, _graph.Unsqueeze(kept, -1)), false, 1), _graph.ReduceSum(kept, true, 1));
    }
}
