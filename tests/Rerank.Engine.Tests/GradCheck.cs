namespace Rerank.Engine.Tests;

/// <summary>
/// Finite-difference gradient check. The loss is L = Σ wᵢ·f(x)ᵢ with fixed random weights w, summed in double.
/// Each input element is perturbed by ±h (h = 5e-3) and the central difference (L(x+h) − L(x−h)) / 2h is compared
/// with the autograd gradient: |analytic − numeric| ≤ 2e-3 + 2e-2·max(|analytic|, |numeric|). These are float32
/// kernels, so the tolerance covers float32 rounding of L (≈1e-7·|L|/h) plus the O(h²) truncation error.
/// </summary>
internal static class GradCheck
{
    public const float Step = 5e-3f;
    public const double Absolute = 2e-3;
    public const double Relative = 2e-2;

    public static void Check(Func<Tensor> f, params Tensor[] inputs)
    {
        foreach (var x in inputs)
        {
            x.RequiresGrad = true;
            x.Grad = null;
        }

        var probe = f();
        var weights = Tensor.Uniform(probe.Shape, new Rng(99), -1f, 1f);
        var loss = Ops.Sum(Ops.Mul(probe, weights));
        loss.Backward();
        var analytic = inputs.Select(x => x.Grad?.ToArray() ?? new float[x.Count]).ToArray();

        double Eval()
        {
            using var _ = Autograd.NoGrad();
            var y = f().Span;
            var w = weights.Span;
            double s = 0;
            for (var i = 0; i < y.Length; i++)
            {
                s += (double)y[i] * w[i];
            }

            return s;
        }

        for (var k = 0; k < inputs.Length; k++)
        {
            var data = inputs[k].Span;
            for (var i = 0; i < data.Length; i++)
            {
                var original = data[i];
                data[i] = original + Step;
                var plus = Eval();
                data[i] = original - Step;
                var minus = Eval();
                data[i] = original;
                var numeric = (plus - minus) / (2 * Step);
                var a = analytic[k][i];
                var tolerance = Absolute + (Relative * Math.Max(Math.Abs(a), Math.Abs(numeric)));
                Math.Abs(a - numeric).ShouldBeLessThanOrEqualTo(tolerance, $"input {k} ({inputs[k].Name ?? inputs[k].Shape.ToString()}) element {i}: analytic {a}, numeric {numeric}");
            }
        }
    }

    /// <summary>Values in ±[0.1, 1): away from the kinks of ReLU/hinge at 0.</summary>
    public static Tensor AwayFromZero(TensorShape shape, ulong seed)
    {
        var rng = new Rng(seed);
        var t = Tensor.Uniform(shape, rng, 0.1f, 1f);
        var s = t.Span;
        for (var i = 0; i < s.Length; i++)
        {
            s[i] *= rng.NextFloat() < 0.5f ? -1f : 1f;
        }

        return t;
    }

    public static Tensor Random(TensorShape shape, ulong seed, float scale = 1f) => Tensor.Uniform(shape, new Rng(seed), -scale, scale);

    public static TensorShape S(params int[] dims) => new(dims);
}
