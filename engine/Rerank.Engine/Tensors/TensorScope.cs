namespace Rerank.Engine;

/// <summary>
/// A region whose tensors come from a per-thread pool and are handed back when it ends: after the first pass,
/// a forward (or a training step) with the same shapes allocates no managed memory. Tensors created inside must
/// not be used after the scope is disposed (copy results out first); parameters, their gradients and optimizer
/// state always live on the heap.
/// </summary>
public readonly struct TensorScope : IDisposable, IEquatable<TensorScope>
{
    private readonly (int Data, int Views) _mark;
    private readonly bool _noGrad;
    private readonly bool _active;

    private TensorScope((int Data, int Views) mark, bool noGrad)
    {
        _mark = mark;
        _noGrad = noGrad;
        _active = true;
    }

    /// <summary>Opens a pooled region with gradient recording unchanged (a training step).</summary>
    public static TensorScope Begin() => new(TensorPool.Current.Enter(), noGrad: false);

    /// <summary>Opens a pooled region with gradient recording off (inference).</summary>
    public static TensorScope Inference()
    {
        _ = Autograd.NoGrad();
        return new TensorScope(TensorPool.Current.Enter(), noGrad: true);
    }

    /// <summary>Returns every tensor created inside to the pool (and restores gradient recording).</summary>
    public void Dispose()
    {
        if (!_active)
        {
            return;
        }

        TensorPool.Current.Exit(_mark);
        if (_noGrad)
        {
            Autograd.Restore();
        }
    }

    /// <inheritdoc/>
    public bool Equals(TensorScope other) => _mark == other._mark && _noGrad == other._noGrad && _active == other._active;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorScope o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_mark, _noGrad, _active);

    /// <summary>Equality.</summary>
    public static bool operator ==(TensorScope left, TensorScope right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(TensorScope left, TensorScope right) => !left.Equals(right);
}
