namespace Rerank.Engine;

/// <summary>Switches gradient recording for the current thread.</summary>
public static class Autograd
{
    [ThreadStatic]
    private static int _noGradDepth;

    /// <summary>Whether ops record themselves on the tape on this thread.</summary>
    public static bool IsEnabled => _noGradDepth == 0;

    /// <summary>Turns recording off until the returned scope is disposed (nests).</summary>
    public static NoGradScope NoGrad()
    {
        _noGradDepth++;
        return new NoGradScope(true);
    }

    internal static void Restore() => _noGradDepth--;
}

/// <summary>Restores gradient recording when disposed.</summary>
public readonly struct NoGradScope : IDisposable, IEquatable<NoGradScope>
{
    private readonly bool _active;

    internal NoGradScope(bool active) => _active = active;

    /// <summary>Ends the no-grad region.</summary>
    public void Dispose()
    {
        if (_active)
        {
            Autograd.Restore();
        }
    }

    /// <inheritdoc/>
    public bool Equals(NoGradScope other) => _active == other._active;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NoGradScope o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => _active.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(NoGradScope left, NoGradScope right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(NoGradScope left, NoGradScope right) => !left.Equals(right);
}
