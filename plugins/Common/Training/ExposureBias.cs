using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.Common;

/// <summary>
/// Position-aware training (PAL, Guo et al. 2019): one learned logit offset per shown position t, added to the item logit
/// of the item shown at t while training, so the position's effect on clicks is not learned into the item's score; at
/// inference the offset is dropped (every item scored as if shown at the same position).
/// </summary>
public sealed class ExposureBias : Module
{
    private readonly Tensor _bias;

    /// <summary>One zero-initialised offset per position 0 … <paramref name="positions"/> − 1 (later positions share the last).</summary>
    /// <param name="positions">How many positions get their own offset.</param>
    public ExposureBias(int positions)
    {
        Positions = positions;
        _bias = Parameter("bias", Tensor.Zeros(positions, 1));
    }

    /// <summary>How many positions have an offset.</summary>
    public int Positions { get; }

    /// <summary>Offsets <c>[B, N]</c> for shown positions <paramref name="shown"/> (<c>[B·N]</c>, −1 at padding: offset 0).</summary>
    public Tensor Offsets(int[] shown, int b, int n)
    {
        var onehot = new float[b * n * Positions];
        for (var k = 0; k < shown.Length; k++)
        {
            if (shown[k] >= 0)
            {
                onehot[(k * Positions) + Math.Min(shown[k], Positions - 1)] = 1f;
            }
        }

        var picked = Ops.MatMul(Tensor.FromArray(onehot, new TensorShape(b * n, Positions)), _bias);
        return Ops.Reshape(picked, new TensorShape(b, n));
    }
}
