namespace Rerank.Plugins.SortGen;

internal sealed partial class IncrementalSort
{
    private const float LayerNormEpsilon = 1e-5f;

    /// <summary>y = W·x + b for W [out, in] (PyTorch layout, as <see cref="Rerank.Engine.Nn.Linear"/>).</summary>
    private static void MatVec(float[] w, float[]? b, ReadOnlySpan<float> x, Span<float> y, int inputs, int outputs)
    {
        for (var o = 0; o < outputs; o++)
        {
            var row = w.AsSpan(o * inputs, inputs);
            var sum = b is null ? 0f : b[o];
            for (var i = 0; i < inputs; i++)
            {
                sum += row[i] * x[i];
            }

            y[o] = sum;
        }
    }

    private static void LayerNorm(ReadOnlySpan<float> x, float[] gamma, float[] beta, Span<float> y)
    {
        var mean = 0f;
        foreach (var v in x)
        {
            mean += v;
        }

        mean /= x.Length;
        var variance = 0f;
        foreach (var v in x)
        {
            variance += (v - mean) * (v - mean);
        }

        var inv = 1f / MathF.Sqrt((variance / x.Length) + LayerNormEpsilon);
        for (var k = 0; k < x.Length; k++)
        {
            y[k] = ((x[k] - mean) * inv * gamma[k]) + beta[k];
        }
    }

    /// <summary>tanh-GELU, the engine's: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    private static float Gelu(float x) => 0.5f * x * (1f + MathF.Tanh(0.7978845608f * (x + (0.044715f * x * x * x))));

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>One pre-norm encoder layer's weights.</summary>
    private sealed class Layer(Dictionary<string, float[]> p, string prefix)
    {
        public float[] Norm1Gamma { get; } = p[prefix + "norm1.weight"];

        public float[] Norm1Beta { get; } = p[prefix + "norm1.bias"];

        public float[] QueryW { get; } = p[prefix + "attention.query.weight"];

        public float[] QueryB { get; } = p[prefix + "attention.query.bias"];

        public float[] KeyW { get; } = p[prefix + "attention.key.weight"];

        public float[] KeyB { get; } = p[prefix + "attention.key.bias"];

        public float[] ValueW { get; } = p[prefix + "attention.value.weight"];

        public float[] ValueB { get; } = p[prefix + "attention.value.bias"];

        public float[] OutputW { get; } = p[prefix + "attention.output.weight"];

        public float[] OutputB { get; } = p[prefix + "attention.output.bias"];

        public float[] Norm2Gamma { get; } = p[prefix + "norm2.weight"];

        public float[] Norm2Beta { get; } = p[prefix + "norm2.bias"];

        public float[] Ff1W { get; } = p[prefix + "feed_forward.layers.0.weight"];

        public float[] Ff1B { get; } = p[prefix + "feed_forward.layers.0.bias"];

        public float[] Ff2W { get; } = p[prefix + "feed_forward.layers.1.weight"];

        public float[] Ff2B { get; } = p[prefix + "feed_forward.layers.1.bias"];
    }

    /// <summary>An MLP head (Linear → ReLU → Linear).</summary>
    private sealed class Head(Dictionary<string, float[]> p, string prefix)
    {
        public float[] HiddenW { get; } = p[prefix + "layers.0.weight"];

        public float[] HiddenB { get; } = p[prefix + "layers.0.bias"];

        public float[] OutW { get; } = p[prefix + "layers.1.weight"];

        public float[] OutB { get; } = p[prefix + "layers.1.bias"];
    }
}
