using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>A lookup table [V, D]; init N(0, std²). Negative ids give zero rows (padding).</summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table with entries drawn from <paramref name="rng"/>.</summary>
    public Embedding(int count, int dimension, Rng rng, float std = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Weight = Parameter("weight", Tensor.Normal(new TensorShape(count, dimension), rng, std));
    }

    /// <summary>The table, [V, D].</summary>
    public Tensor Weight { get; }

    /// <summary>Looks up <paramref name="ids"/> laid out as <paramref name="idsShape"/> → idsShape + [D]. Keep ids unchanged until backward.</summary>
    public Tensor Forward(ReadOnlyMemory<int> ids, TensorShape idsShape) => Ops.Embedding(Weight, ids, idsShape);

    /// <summary>
    /// The lookup in <paramref name="graph"/>: int64 <paramref name="ids"/> → ids' shape + [D], a zero row for a negative id
    /// (ONNX's Gather would wrap it), the table as the initializer <paramref name="name"/> (one for every lookup of the table).
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue ids, string name)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var zero = graph.Scalar(0L);
        var rows = graph.Gather(graph.SharedInitializer(name, () => OnnxTensor.From(Weight)), graph.Max(ids, zero));
        var valid = graph.Cast(graph.GreaterOrEqual(ids, zero), OnnxType.Float);
        return graph.Mul(rows, graph.Unsqueeze(valid, -1));
    }
}
