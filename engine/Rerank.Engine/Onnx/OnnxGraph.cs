using System.Buffers.Binary;
using System.Globalization;

namespace Rerank.Engine.Onnx;

/// <summary>
/// Builds an ONNX model (IR version 8, default-domain opset 17) without any ONNX package: inputs with dynamic axes,
/// initializers, nodes and outputs, written as protobuf by <see cref="ToBytes"/> / <see cref="Save"/>.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The default-domain opset the graph's nodes follow.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written.</summary>
    public const int IrVersion = 8;

    private readonly List<ProtoWriter> _nodes = [];
    private readonly List<ProtoWriter> _initializers = [];
    private readonly List<ProtoWriter> _inputs = [];
    private readonly List<ProtoWriter> _outputs = [];
    private readonly HashSet<string> _names = [];
    private readonly Dictionary<string, OnnxValue> _shared = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>Creates an empty graph named <paramref name="name"/>.</summary>
    public OnnxGraph(string name = "rerank")
    {
        Name = name;
    }

    /// <summary>The graph's name.</summary>
    public string Name { get; }

    /// <summary>The names of the graph inputs, in order.</summary>
    public List<string> InputNames { get; } = [];

    /// <summary>The names of the graph outputs, in order.</summary>
    public List<string> OutputNames { get; } = [];

    /// <summary>Declares a graph input of <paramref name="type"/> and shape <paramref name="dims"/> (strings: dynamic axes).</summary>
    public OnnxValue Input(string name, OnnxType type, params OnnxDim[] dims)
    {
        Claim(name);
        _inputs.Add(ValueInfo(name, type, dims));
        InputNames.Add(name);
        return new OnnxValue(name);
    }

    /// <summary>A named constant tensor.</summary>
    public OnnxValue Initializer(string name, OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Claim(name);
        _initializers.Add(tensor.Proto(name));
        return new OnnxValue(name);
    }

    /// <summary>The initializer <paramref name="name"/>, created from <paramref name="make"/> the first time (a weight several parts of the graph read).</summary>
    public OnnxValue SharedInitializer(string name, Func<OnnxTensor> make)
    {
        ArgumentNullException.ThrowIfNull(make);
        if (!_shared.TryGetValue(name, out var value))
        {
            value = Initializer(name, make());
            _shared[name] = value;
        }

        return value;
    }

    /// <summary>A float32 scalar constant.</summary>
    public OnnxValue Scalar(float value) => Initializer(Fresh("const"), OnnxTensor.Floats([value]));

    /// <summary>An int64 scalar constant.</summary>
    public OnnxValue Scalar(long value) => Initializer(Fresh("const"), OnnxTensor.Int64s([value]));

    /// <summary>An int64 vector constant (axes, shapes, indices).</summary>
    public OnnxValue Int64s(params long[] values) => Initializer(Fresh("const"), OnnxTensor.Int64s(values, values.Length));

    /// <summary>Declares <paramref name="value"/> as graph output <paramref name="name"/> (through an Identity node).</summary>
    public OnnxValue Output(OnnxValue value, string name, OnnxType type, params OnnxDim[] dims)
    {
        ArgumentNullException.ThrowIfNull(value);
        Claim(name);
        AddNode("Identity", [value.Name], [name], []);
        _outputs.Add(ValueInfo(name, type, dims));
        OutputNames.Add(name);
        return new OnnxValue(name);
    }

    /// <summary>A node of <paramref name="opType"/> with one output.</summary>
    public OnnxValue Node(string opType, IReadOnlyList<OnnxValue> inputs, params OnnxAttribute[] attributes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var output = Fresh(opType);
        Claim(output);
        AddNode(opType, [.. inputs.Select(i => i.Name)], [output], attributes);
        return new OnnxValue(output);
    }

    /// <summary>a·b (numpy matmul).</summary>
    public OnnxValue MatMul(OnnxValue a, OnnxValue b) => Node("MatMul", [a, b]);

    /// <summary>a + b (broadcast).</summary>
    public OnnxValue Add(OnnxValue a, OnnxValue b) => Node("Add", [a, b]);

    /// <summary>a − b (broadcast).</summary>
    public OnnxValue Sub(OnnxValue a, OnnxValue b) => Node("Sub", [a, b]);

    /// <summary>a·b element-wise (broadcast).</summary>
    public OnnxValue Mul(OnnxValue a, OnnxValue b) => Node("Mul", [a, b]);

    /// <summary>a / b element-wise (broadcast).</summary>
    public OnnxValue Div(OnnxValue a, OnnxValue b) => Node("Div", [a, b]);

    /// <summary>max(a, b) element-wise (broadcast).</summary>
    public OnnxValue Max(OnnxValue a, OnnxValue b) => Node("Max", [a, b]);

    /// <summary>ReLU.</summary>
    public OnnxValue Relu(OnnxValue x) => Node("Relu", [x]);

    /// <summary>Logistic sigmoid.</summary>
    public OnnxValue Sigmoid(OnnxValue x) => Node("Sigmoid", [x]);

    /// <summary>tanh.</summary>
    public OnnxValue Tanh(OnnxValue x) => Node("Tanh", [x]);

    /// <summary>Natural log.</summary>
    public OnnxValue Log(OnnxValue x) => Node("Log", [x]);

    /// <summary>exp.</summary>
    public OnnxValue Exp(OnnxValue x) => Node("Exp", [x]);

    /// <summary>Square root.</summary>
    public OnnxValue Sqrt(OnnxValue x) => Node("Sqrt", [x]);

    /// <summary>Clip to [min, max] (scalar constants).</summary>
    public OnnxValue Clip(OnnxValue x, float min, float max) => Node("Clip", [x, Scalar(min), Scalar(max)]);

    /// <summary>Gemm: alpha·A·B(ᵀ) + beta·C on 2-D tensors.</summary>
    public OnnxValue Gemm(OnnxValue a, OnnxValue b, OnnxValue c, bool transB = false) =>
        Node("Gemm", [a, b, c], OnnxAttribute.Int("transB", transB ? 1 : 0));

    /// <summary>Concatenation along <paramref name="axis"/>.</summary>
    public OnnxValue Concat(int axis, params OnnxValue[] values) =>
        values.Length == 1 ? values[0] : Node("Concat", values, OnnxAttribute.Int("axis", axis));

    /// <summary>Gathers <paramref name="indices"/> (int64) of <paramref name="data"/> along <paramref name="axis"/>.</summary>
    public OnnxValue Gather(OnnxValue data, OnnxValue indices, int axis = 0) => Node("Gather", [data, indices], OnnxAttribute.Int("axis", axis));

    /// <summary>Reshape to <paramref name="shape"/> (0 copies the input's dim, −1 infers).</summary>
    public OnnxValue Reshape(OnnxValue x, params long[] shape) => Node("Reshape", [x, Int64s(shape)]);

    /// <summary>Inserts size-1 axes.</summary>
    public OnnxValue Unsqueeze(OnnxValue x, params long[] axes) => Node("Unsqueeze", [x, Int64s(axes)]);

    /// <summary>Removes size-1 axes.</summary>
    public OnnxValue Squeeze(OnnxValue x, params long[] axes) => Node("Squeeze", [x, Int64s(axes)]);

    /// <summary>Permutes the axes.</summary>
    public OnnxValue Transpose(OnnxValue x, params long[] perm) => Node("Transpose", [x], OnnxAttribute.Ints("perm", perm));

    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public OnnxValue Softmax(OnnxValue x, int axis = -1) => Node("Softmax", [x], OnnxAttribute.Int("axis", axis));

    /// <summary>Log-softmax along <paramref name="axis"/>.</summary>
    public OnnxValue LogSoftmax(OnnxValue x, int axis = -1) => Node("LogSoftmax", [x], OnnxAttribute.Int("axis", axis));

    /// <summary>Sum over <paramref name="axes"/>.</summary>
    public OnnxValue ReduceSum(OnnxValue x, bool keepDims, params long[] axes) =>
        Node("ReduceSum", [x, Int64s(axes)], OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Layer normalisation over the last axis (opset 17).</summary>
    public OnnxValue LayerNormalization(OnnxValue x, OnnxValue scale, OnnxValue bias, float epsilon) =>
        Node("LayerNormalization", [x, scale, bias], OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", epsilon));

    /// <summary>cond ? a : b.</summary>
    public OnnxValue Where(OnnxValue condition, OnnxValue a, OnnxValue b) => Node("Where", [condition, a, b]);

    /// <summary>a ≥ b (bool).</summary>
    public OnnxValue GreaterOrEqual(OnnxValue a, OnnxValue b) => Node("GreaterOrEqual", [a, b]);

    /// <summary>a &lt; b (bool).</summary>
    public OnnxValue Less(OnnxValue a, OnnxValue b) => Node("Less", [a, b]);

    /// <summary>a &gt; b (bool).</summary>
    public OnnxValue Greater(OnnxValue a, OnnxValue b) => Node("Greater", [a, b]);

    /// <summary>a = b (bool).</summary>
    public OnnxValue Equal(OnnxValue a, OnnxValue b) => Node("Equal", [a, b]);

    /// <summary>The int64 index of the largest value along <paramref name="axis"/>, the first one on ties.</summary>
    public OnnxValue ArgMax(OnnxValue x, long axis, bool keepDims) =>
        Node("ArgMax", [x], OnnxAttribute.Int("axis", axis), OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Reshape to a computed int64 <paramref name="shape"/> (dynamic dims).</summary>
    public OnnxValue Reshape(OnnxValue x, OnnxValue shape) => Node("Reshape", [x, shape]);

    /// <summary>Element-wise minimum.</summary>
    public OnnxValue Min(OnnxValue a, OnnxValue b) => Node("Min", [a, b]);

    /// <summary>Maximum over <paramref name="axes"/> (all axes when none are given; opset 17 takes them as an attribute).</summary>
    public OnnxValue ReduceMax(OnnxValue x, bool keepDims, params long[] axes) =>
        axes.Length == 0
            ? Node("ReduceMax", [x], OnnxAttribute.Int("keepdims", keepDims ? 1 : 0))
            : Node("ReduceMax", [x], OnnxAttribute.Ints("axes", axes), OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>[start, start + delta, …) up to <paramref name="limit"/> (0-d operands of one type).</summary>
    public OnnxValue Range(OnnxValue start, OnnxValue limit, OnnxValue delta) => Node("Range", [start, limit, delta]);

    /// <summary>The int64 shape of <paramref name="x"/>, dims [start, end) (opset 15).</summary>
    public OnnxValue Shape(OnnxValue x, long start, long end) =>
        Node("Shape", [x], OnnxAttribute.Int("start", start), OnnxAttribute.Int("end", end));

    /// <summary>data[starts:ends] along <paramref name="axes"/> (starts, ends: int64 vectors).</summary>
    public OnnxValue Slice(OnnxValue data, OnnxValue starts, OnnxValue ends, params long[] axes) => Node("Slice", [data, starts, ends, Int64s(axes)]);

    /// <summary>Inclusive cumulative sum along <paramref name="axis"/>.</summary>
    public OnnxValue CumSum(OnnxValue x, long axis) => Node("CumSum", [x, Scalar(axis)]);

    /// <summary>Reverses the first lengths[b] steps of each batch row along <paramref name="timeAxis"/> (lengths: int64 [batch]); later steps stay.</summary>
    public OnnxValue ReverseSequence(OnnxValue x, OnnxValue lengths, int batchAxis, int timeAxis) =>
        Node("ReverseSequence", [x, lengths], OnnxAttribute.Int("batch_axis", batchAxis), OnnxAttribute.Int("time_axis", timeAxis));

    /// <summary>Casts to <paramref name="to"/>.</summary>
    public OnnxValue Cast(OnnxValue x, OnnxType to) => Node("Cast", [x], OnnxAttribute.Int("to", (int)to));

    /// <summary>The model bytes: ModelProto with <paramref name="metadata"/> as metadata_props.</summary>
    public byte[] ToBytes(IEnumerable<KeyValuePair<string, string>>? metadata = null, string producerVersion = "")
    {
        var graph = new ProtoWriter();
        foreach (var n in _nodes)
        {
            graph.Message(1, n);
        }

        graph.String(2, Name);
        foreach (var i in _initializers)
        {
            graph.Message(5, i);
        }

        foreach (var i in _inputs)
        {
            graph.Message(11, i);
        }

        foreach (var o in _outputs)
        {
            graph.Message(12, o);
        }

        var model = new ProtoWriter()
            .Varint(1, IrVersion)
            .String(2, "rerank")
            .String(3, producerVersion)
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, "").Varint(2, Opset));
        foreach (var (key, value) in metadata ?? [])
        {
            model.Message(14, new ProtoWriter().String(1, key).String(2, value));
        }

        return model.ToArray();
    }

    /// <summary>Writes the model to <paramref name="path"/>.</summary>
    public void Save(string path, IEnumerable<KeyValuePair<string, string>>? metadata = null, string producerVersion = "") =>
        File.WriteAllBytes(path, ToBytes(metadata, producerVersion));

    private static ProtoWriter ValueInfo(string name, OnnxType type, OnnxDim[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var d in dims)
        {
            shape.Message(1, d.Param is { } p ? new ProtoWriter().String(2, p) : new ProtoWriter().Varint(1, d.Value));
        }

        var tensor = new ProtoWriter().Varint(1, (int)type).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensor));
    }

    private void AddNode(string opType, string[] inputs, string[] outputs, OnnxAttribute[] attributes)
    {
        var node = new ProtoWriter();
        foreach (var i in inputs)
        {
            node.String(1, i);
        }

        foreach (var o in outputs)
        {
            node.String(2, o);
        }

        node.String(3, $"{opType}_{_nodes.Count}").String(4, opType);
        foreach (var a in attributes)
        {
            node.Message(5, a.Proto());
        }

        _nodes.Add(node);
    }

    private string Fresh(string prefix)
    {
        string name;
        do
        {
            name = $"{prefix.ToLowerInvariant()}_{_counter++}";
        }
        while (_names.Contains(name));
        return name;
    }

    private void Claim(string name)
    {
        if (string.IsNullOrEmpty(name) || !_names.Add(name))
        {
            throw new ArgumentException($"graph value name '{name}' is empty or already used.", nameof(name));
        }
    }
}
