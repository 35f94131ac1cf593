using System.Buffers.Binary;
using System.Globalization;

namespace Rerank.Engine.Onnx;

/// <summary>ONNX tensor element types (TensorProto.DataType).</summary>
public enum OnnxType
{
    /// <summary>float32.</summary>
    Float = 1,

    /// <summary>int64.</summary>
    Int64 = 7,

    /// <summary>bool.</summary>
    Bool = 9,
}

/// <summary>One dimension of a declared shape: a fixed size or a named dynamic axis.</summary>
public readonly record struct OnnxDim(long Value, string? Param)
{
    /// <summary>A fixed size.</summary>
    public static implicit operator OnnxDim(long value) => new(value, null);

    /// <summary>A named dynamic axis.</summary>
    public static implicit operator OnnxDim(string param) => new(0, param);

    /// <inheritdoc />
    public override string ToString() => Param ?? Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A value in a graph (an input, an initializer or a node output), by name.</summary>
public sealed record OnnxValue(string Name);

/// <summary>A constant tensor (TensorProto), float32 or int64, stored as little-endian raw data.</summary>
public sealed class OnnxTensor
{
    private OnnxTensor(OnnxType type, long[] dims, byte[] raw)
    {
        Type = type;
        Dims = dims;
        Raw = raw;
    }

    /// <summary>The element type.</summary>
    public OnnxType Type { get; }

    /// <summary>The shape.</summary>
    public IReadOnlyList<long> Dims { get; }

    internal byte[] Raw { get; }

    /// <summary>A float32 tensor of shape <paramref name="dims"/> (row-major).</summary>
    public static OnnxTensor Floats(ReadOnlySpan<float> values, params long[] dims)
    {
        Check(values.Length, dims);
        var raw = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        }

        return new OnnxTensor(OnnxType.Float, dims, raw);
    }

    /// <summary>An int64 tensor of shape <paramref name="dims"/> (row-major).</summary>
    public static OnnxTensor Int64s(ReadOnlySpan<long> values, params long[] dims)
    {
        Check(values.Length, dims);
        var raw = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
        }

        return new OnnxTensor(OnnxType.Int64, dims, raw);
    }

    /// <summary>The engine tensor's values and shape.</summary>
    public static OnnxTensor From(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var dims = new long[tensor.Shape.Rank];
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = tensor.Shape[i];
        }

        return Floats(tensor.ToArray(), dims);
    }

    internal ProtoWriter Proto(string? name)
    {
        var w = new ProtoWriter().PackedVarints(1, Dims).Varint(2, (int)Type);
        if (name is not null)
        {
            w.String(8, name);
        }

        return w.Bytes(9, Raw);
    }

    private static void Check(int count, long[] dims)
    {
        var expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != count)
        {
            throw new ArgumentException($"{count} values do not fill shape [{string.Join(", ", dims)}].");
        }
    }
}

/// <summary>A node attribute (AttributeProto).</summary>
public sealed class OnnxAttribute
{
    private readonly Action<ProtoWriter> _write;

    private OnnxAttribute(string name, Action<ProtoWriter> write)
    {
        Name = name;
        _write = write;
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, w => w.Varint(3, value).Varint(20, 2));

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, w => w.PackedVarints(8, values).Varint(20, 7));

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, w => w.Float(2, value).Varint(20, 1));

    /// <summary>A FLOATS attribute.</summary>
    public static OnnxAttribute Floats(string name, params float[] values) => new(name, w => w.PackedFloats(7, values).Varint(20, 6));

    /// <summary>A STRING attribute.</summary>
    public static OnnxAttribute String(string name, string value) => new(name, w => w.String(4, value).Varint(20, 3));

    /// <summary>A TENSOR attribute.</summary>
    public static OnnxAttribute Tensor(string name, OnnxTensor value) => new(name, w => w.Message(5, value.Proto(null)).Varint(20, 4));

    internal ProtoWriter Proto()
    {
        var w = new ProtoWriter().String(1, Name);
        _write(w);
        return w;
    }
}

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

    /// <summary>The int64 shape of <paramref name="x"/>, dims [start, end) (opset 15).</summary>
    public OnnxValue Shape(OnnxValue x, long start, long end) =>
        Node("Shape", [x], OnnxAttribute.Int("start", start), OnnxAttribute.Int("end", end));

    /// <summary>data[starts:ends] along <paramref name="axes"/> (starts, ends: int64 vectors).</summary>
    public OnnxValue Slice(OnnxValue data, OnnxValue starts, OnnxValue ends, params long[] axes) => Node("Slice", [data, starts, ends, Int64s(axes)]);

    /// <summary>Inclusive cumulative sum along <paramref name="axis"/>.</summary>
    public OnnxValue CumSum(OnnxValue x, long axis) => Node("CumSum", [x, Scalar(axis)]);

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
