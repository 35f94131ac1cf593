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
}
