namespace Rerank.Engine.Nn;

/// <summary>Inverted dropout, active only in training mode; its own seeded stream.</summary>
public sealed class Dropout : Module
{
    private readonly Rng _rng;

    /// <summary>Creates the layer with drop probability <paramref name="probability"/>.</summary>
    public Dropout(float probability, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (probability is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(probability), $"Dropout probability must be in [0, 1), got {probability}.");
        }

        Probability = probability;
        _rng = new Rng(rng.NextUInt() | ((ulong)rng.NextUInt() << 32));
    }

    /// <summary>The drop probability.</summary>
    public float Probability { get; }

    /// <summary>Applies dropout when training; identity otherwise.</summary>
    public Tensor Forward(Tensor x) => Ops.Dropout(x, Probability, _rng, Training);
}
