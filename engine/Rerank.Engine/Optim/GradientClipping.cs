namespace Rerank.Engine.Optim;

/// <summary>Gradient clipping by global norm (Pascanu et al. 2013).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by min(1, maxNorm / ‖g‖₂), ‖g‖₂ over every parameter together; returns the norm
    /// before clipping (NaN/∞ is returned as is and nothing is scaled, so the caller can skip the step).
    /// </summary>
    public static float ClipByGlobalNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (maxNorm <= 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), $"Max norm must be positive, got {maxNorm}.");
        }

        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        double sum = 0;
        foreach (var g in grads)
        {
            sum += Backend.Of(g).SumSquares(g);
        }

        var norm = (float)Math.Sqrt(sum);
        if (!float.IsFinite(norm) || norm <= maxNorm)
        {
            return norm;
        }

        var scale = maxNorm / (norm + 1e-6f);
        foreach (var g in grads)
        {
            Backend.Of(g).Unary(Backends.UnaryOp.Affine, g, g, scale, 0f);
        }

        return norm;
    }
}
