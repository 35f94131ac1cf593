namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>Softmax over the last dim. <paramref name="mask"/> (1 keep, 0 drop) broadcasts to x; causal drops keys after each query. Fully masked rows are 0.</summary>
    public static Tensor Softmax(Tensor x, Tensor? mask = null, bool causal = false) => SoftmaxCore(x, mask, causal, log: false);

    /// <summary>Log-softmax over the last dim; dropped entries are −∞ and get no gradient.</summary>
    public static Tensor LogSoftmax(Tensor x, Tensor? mask = null, bool causal = false) => SoftmaxCore(x, mask, causal, log: true);

    private static Tensor SoftmaxCore(Tensor x, Tensor? mask, bool causal, bool log)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (mask is not null)
        {
            SameDevice(x, mask, "Softmax");
            if (BroadcastShape(mask.Shape, x.Shape, "Softmax mask") != x.Shape)
            {
                throw new ArgumentException($"Softmax: mask shape {mask.Shape} does not broadcast to {x.Shape}.");
            }
        }

        var y = Out(x.Shape, x);
        B(x).Softmax(x, mask, causal, log, y);
        if (Tensor.NeedsGrad(x))
        {
            RecordSoftmax(x, y, log);
        }

        return y;
    }

    /// <summary>Layer normalisation over the last dim (Ba et al.): (x − μ)/√(σ² + ε)·γ + β; γ, β optional, shape [D].</summary>
    /// <exception cref="ArgumentException">γ or β is not of shape [D].</exception>
    public static Tensor LayerNorm(Tensor x, Tensor? gamma, Tensor? beta, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        var d = x.Shape.Last;
        if ((gamma is not null && gamma.Count != d) || (beta is not null && beta.Count != d))
        {
            throw new ArgumentException($"LayerNorm: gamma/beta must have {d} elements for input {x.Shape}.");
        }

        var y = Out(x.Shape, x);
        var rows = x.Count / Math.Max(1, d);
        var needs = Autograd.IsEnabled && (x.RequiresGrad || (gamma?.RequiresGrad ?? false) || (beta?.RequiresGrad ?? false));
        var mean = needs ? Out(new TensorShape(rows), x) : null;
        var rstd = needs ? Out(new TensorShape(rows), x) : null;
        B(x).LayerNorm(x, gamma, beta, epsilon, y, mean, rstd);
        if (needs)
        {
            RecordLayerNorm(x, gamma, beta, y, mean!, rstd!);
        }

        return y;
    }

    private static void RecordSoftmax(Tensor x, Tensor y, bool log) =>
        Tensor.Record(y, log ? "LogSoftmax" : "Softmax", dy => B(dy).SoftmaxBackward(y, dy, log, Grad(x)), x);

    private static void RecordLayerNorm(Tensor x, Tensor? gamma, Tensor? beta, Tensor y, Tensor mean, Tensor rstd)
    {
        var inputs = gamma is null ? (beta is null ? new[] { x } : [x, beta]) : (beta is null ? [x, gamma] : [x, gamma, beta]);
        Tensor.Record(
            y,
            "LayerNorm",
            dy => B(dy).LayerNormBackward(
                x,
                gamma,
                mean,
                rstd,
                dy,
                x.RequiresGrad ? Grad(x) : null,
                gamma is { RequiresGrad: true } ? Grad(gamma) : null,
                beta is { RequiresGrad: true } ? Grad(beta) : null),
            inputs);
    }
}
