namespace Rerank.Engine.Onnx;

/// <summary>
/// The inputs an export declares, each named after the <c>onnx</c>-plugin source that feeds it (e.g.
/// <c>candidate_mask</c>): a source several parts of a model read is declared once, and <see cref="Sources"/> lists
/// them in declaration order, as <see cref="OnnxExport"/> takes them.
/// </summary>
public sealed class OnnxInputs
{
    private readonly OnnxGraph _graph;
    private readonly Dictionary<string, OnnxValue> _declared = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _sources = [];

    /// <summary>Declares inputs of <paramref name="graph"/>.</summary>
    public OnnxInputs(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
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
}
