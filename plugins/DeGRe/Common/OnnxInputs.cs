using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// The model inputs of a DeGRe export: each declared once, however many parts of the graph read it (the feature
/// processing, the list context and the history affinity all read slate_embeddings or the history), and named after the
/// <c>onnx</c> plugin source that feeds it.
/// </summary>
internal sealed class OnnxInputs(OnnxGraph graph)
{
    private readonly Dictionary<string, (OnnxValue Value, string Signature)> _declared = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _sources = [];

    /// <summary>The graph the inputs belong to.</summary>
    public OnnxGraph Graph => graph;

    /// <summary>Model input name → <c>onnx</c> plugin source, in declaration order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sources => _sources;

    /// <summary>One row per slate: float [rows, l], 1 where the slate has an item.</summary>
    public OnnxValue SlateMask => Get("slate_mask", OnnxType.Float, "rows", "l");

    /// <summary>The input fed from <paramref name="source"/>, declared with <paramref name="type"/> and <paramref name="dims"/> the first time.</summary>
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

        var value = graph.Input(source, type, dims);
        _declared[source] = (value, signature);
        _sources.Add(new(source, source));
        return value;
    }
}
