namespace Rerank.Abstractions;

/// <summary>Per-call context of a stage: the seed every random choice derives from, and cancellation.</summary>
public sealed class RerankContext
{
    /// <summary>Creates a context.</summary>
    public RerankContext(ulong seed, CancellationToken cancellation = default)
    {
        Seed = seed;
        Cancellation = cancellation;
    }

    /// <summary>The seed from config.</summary>
    public ulong Seed { get; }

    /// <summary>Cancelled when the caller gives up (deadline, shutdown).</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>
    /// A random source for one request and one purpose, derived from <see cref="Seed"/>, the request id and <paramref name="salt"/>:
    /// the same request gets the same draws whatever batch it arrives in.
    /// </summary>
    public Random RandomFor(RerankRequest request, string salt = "")
    {
        ArgumentNullException.ThrowIfNull(request);
        var h = StableHash.Mix(Seed, StableHash.Of(request.RequestId));
        h = StableHash.Mix(h, StableHash.Of(salt));
        return new Random((int)(h ^ (h >> 32)));
    }
}
