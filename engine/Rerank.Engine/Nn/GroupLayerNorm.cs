namespace Rerank.Engine.Nn;

/// <summary>
/// Layer normalisation applied separately to each of G consecutive feature groups of the last dim (e.g. one group
/// per input feature field), then a learned per-feature γ, β over the whole width G·S.
/// </summary>
public sealed class GroupLayerNorm : Module
{
    /// <summary>Creates the layer for <paramref name="groups"/> groups of <paramref name="groupSize"/> features.</summary>
    public GroupLayerNorm(int groups, int groupSize, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groupSize);
        Groups = groups;
        GroupSize = groupSize;
        Epsilon = epsilon;
        Gamma = Parameter("weight", Tensor.Full(new TensorShape(groups * groupSize), 1f));
        Beta = Parameter("bias", Tensor.Zeros(new TensorShape(groups * groupSize)));
    }

    /// <summary>The number of groups G.</summary>
    public int Groups { get; }

    /// <summary>The width S of one group.</summary>
    public int GroupSize { get; }

    /// <summary>The variance floor.</summary>
    public float Epsilon { get; }

    /// <summary>The scale γ, [G·S].</summary>
    public Tensor Gamma { get; }

    /// <summary>The shift β, [G·S].</summary>
    public Tensor Beta { get; }

    /// <summary>Normalises x [..., G·S] group by group.</summary>
    /// <exception cref="ArgumentException">The last dim is not G·S.</exception>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Shape.Last != Groups * GroupSize)
        {
            throw new ArgumentException($"GroupLayerNorm({Groups}×{GroupSize}): input {x.Shape} has last dim {x.Shape.Last}.", nameof(x));
        }

        var grouped = Ops.Reshape(x, new TensorShape(x.Count / (Groups * GroupSize), Groups, GroupSize));
        var normed = Ops.Reshape(Ops.LayerNorm(grouped, null, null, Epsilon), x.Shape);
        return Ops.Add(Ops.Mul(normed, Gamma), Beta);
    }
}
