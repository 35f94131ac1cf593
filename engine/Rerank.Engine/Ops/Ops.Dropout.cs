namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1 − p); identity when not training or p = 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1).</exception>
    public static Tensor Dropout(Tensor x, float p, Rng rng, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        if (p is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1), got {p}.");
        }

        if (!training || p == 0f)
        {
            return x;
        }

        var mask = Out(x.Shape, x);
        B(x).DropoutMask(mask, 1f - p, rng);
        return Mul(x, mask);
    }
}
