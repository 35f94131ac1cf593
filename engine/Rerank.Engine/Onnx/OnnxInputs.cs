namespace Rerank.Engine.Onnx;

/// <summary>
/// The inputs an export declares, each named after the <c>onnx</c>-plugin source that feeds it (e.g.
/// <c>candidate_mask</c>): a source several parts of a model read is declared once, and <see cref="Sources"/> lists
/// them in declaration order, as <see cref="OnnxExport"/> takes them.
/// </summary>
public sealed class OnnxInputs
{
    private readonly string _rows;
    private readonly Dictionary<string, (OnnxValue Value, string Signature)> _declared = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _sources = [];

    /// <summary>Declares inputs of <paramref name="graph"/>, whose first axis is named <paramref name="rows"/> (requests: <c>batch</c>; an evaluator's slates: <c>rows</c>).</summary>
    public OnnxInputs(OnnxGraph graph, string rows = "batch")
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        _rows = rows;
    }

    /// <summary>The graph the inputs belong to.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>Model input name → <c>onnx</c> plugin source, in declaration order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sources => _sources;

    /// <summary>The graph input fed from <paramref name="source"/>, declared with <paramref name="type"/> and <paramref name="dims"/> the first time.</summary>
    /// <exception cref="InvalidOperationException">The source was declared before with another type or shape.</exception>
    public OnnxValue Get(string source, OnnxType type, params OnnxDim[] dims)
    {
        var signature = $"{type}[{string.Join(", ", dims)}]";
        if (_declared.TryGetValue(source, out var known))
        {
            return known.Signature == signature
                ? known.Value
                : throw new InvalidOperationException($"model input '{source}' is declared as {known.Signature} and as {signature}");
        }

        var value = Graph.Input(source, type, dims);
        _declared[source] = (value, signature);
        _sources.Add(new(source, source));
        return value;
    }

    /// <summary>
    /// The sum of the embeddings of the <paramref name="window"/> most recent history items <c>[rows, width]</c> and
    /// their number <c>[rows, 1]</c>, read from history_embeddings and history_mask (real items first, as batches pad;
    /// a batch without history has h = 0 and gives zeros).
    /// </summary>
    public (OnnxValue Sum, OnnxValue Count) RecentHistory(int width, int window)
    {
        var g = Graph;
        var history = Get("history_embeddings", OnnxType.Float, _rows, "h", width);
        var mask = Get("history_mask", OnnxType.Float, _rows, "h");
        var count = g.ReduceSum(mask, true, 1);
        var positions = g.Cast(g.Range(g.Scalar(0L), g.Squeeze(g.Shape(mask, 1, 2), 0), g.Scalar(1L)), OnnxType.Float);
        var recent = g.Cast(g.GreaterOrEqual(g.Unsqueeze(positions, 0), g.Sub(count, g.Scalar((float)window))), OnnxType.Float);
        var kept = g.Mul(mask, recent);
        return (g.ReduceSum(g.Mul(history, g.Unsqueeze(kept, -1)), false, 1), g.ReduceSum(kept, true, 1));
    }
}
