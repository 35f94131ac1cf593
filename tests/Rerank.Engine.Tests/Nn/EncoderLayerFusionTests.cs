using Rerank.Engine.Nn;

namespace Rerank.Engine.Tests;

/// <summary>
/// The fused inference encoder layer (a few rows at a time through every step) must give exactly the values of the
/// layer's ops run one by one: every element goes through the same operations, so the comparison is bit for bit.
/// </summary>
public sealed class EncoderLayerFusionTests
{
    [Theory]
    [InlineData(64, 4, 256, 5, 37, Activation.Gelu, false, true)] // dk = 16: the tiled attention; rows not a multiple of 6
    [InlineData(64, 4, 256, 70, 60, Activation.Gelu, false, true)] // the reranker shape, split over threads
    [InlineData(64, 4, 256, 9, 23, Activation.Relu, true, true)] // causal, ReLU
    [InlineData(48, 4, 100, 7, 19, Activation.Gelu, false, false)] // dk = 12: the per-row attention; widths not multiples of 16
    [InlineData(32, 2, 64, 1, 1, Activation.Gelu, false, true)] // one request of one item
    [InlineData(64, 4, 256, 1, 60, Activation.Gelu, false, true)] // batch 1 at serving: the phased path (rows, heads, rows)
    [InlineData(64, 4, 256, 3, 37, Activation.Relu, true, true)] // a small batch, phased, causal
    [InlineData(64, 2, 256, 1, 30, Activation.Gelu, false, true)] // batch 1, dk = 32: the heads phase, two panels a head
    [InlineData(64, 4, 100, 1, 40, Activation.Gelu, false, true)] // batch 1, FFN width not a multiple of 16 (packed in parts)
    [InlineData(48, 4, 100, 1, 60, Activation.Gelu, false, true)] // batch 1, dk = 12: the three phases (rows, pairs, rows)
    public void Forward_Inference_EqualsTheLayersOpsBitForBit(int d, int heads, int ff, int batch, int n, Activation activation, bool causal, bool masked)
    {
        var layer = new TransformerEncoderLayer(d, heads, ff, new Rng(3), dropout: 0.1f, activation: activation);
        RandomizeNorms(layer, new Rng(4));
        layer.Eval();
        var x = GradCheck.Random(GradCheck.S(batch, n, d), 5);
        var mask = masked ? KeyMask(batch, n, new Rng(6)) : null;
        float[] fused, reference;
        using (Autograd.NoGrad())
        {
            var weights = layer.FusedWeights();
            weights.ShouldNotBeNull();
            var direct = Ops.EncoderLayerInference(x, mask, causal, weights.Value);
            direct.ShouldNotBeNull(); // the CPU backend fuses it (a test of the fused kernel, not of a fallback)
            fused = direct.ToArray();
            layer.Forward(x, mask, causal).ToArray().ShouldBe(fused);
            var norm = layer.Norm1.Forward(x);
            var h = Ops.Add(x, layer.Attention.Forward(norm, norm, mask, causal));
            reference = Ops.Add(h, layer.FeedForward.Forward(layer.Norm2.Forward(h))).ToArray();
        }

        fused.ShouldBe(reference);
    }

    [Theory]
    [InlineData(40)] // whole requests per thread
    [InlineData(1)] // batch 1: phases over rows and heads
    public void Forward_Inference_OneOrTwoThreadsBitIdentical(int batch)
    {
        var layer = new TransformerEncoderLayer(64, 4, 256, new Rng(3));
        layer.Eval();
        var x = GradCheck.Random(GradCheck.S(batch, 60, 64), 5);
        var mask = KeyMask(batch, 60, new Rng(6));
        var saved = Parallelism.Threads;
        try
        {
            using var noGrad = Autograd.NoGrad();
            Parallelism.Threads = 1;
            var one = layer.Forward(x, mask).ToArray();
            Parallelism.Threads = 2;
            layer.Forward(x, mask).ToArray().ShouldBe(one);
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    [Fact]
    public void Forward_RecordingGradients_StillTrains()
    {
        // With the tape on, the layer records its ops (the fused kernel has no backward): the input gets a gradient.
        var layer = new TransformerEncoderLayer(16, 2, 32, new Rng(3));
        var x = GradCheck.Random(GradCheck.S(2, 5, 16), 5);
        x.RequiresGrad = true;
        Ops.Mean(Ops.Square(layer.Forward(x))).Backward();
        x.Grad.ShouldNotBeNull();
        layer.Attention.Query.Weight.Grad.ShouldNotBeNull();
    }

    private static Tensor KeyMask(int batch, int n, Rng rng)
    {
        var m = new float[batch * n];
        for (var b = 0; b < batch; b++)
        {
            for (var j = 0; j < n; j++)
            {
                // the first key always real; item 1 (when there is one) keeps only it, the others lose ~20 %
                m[(b * n) + j] = j == 0 || (b != 1 && rng.NextFloat() > 0.2f) ? 1f : 0f;
            }
        }

        return Tensor.FromArray(m, new TensorShape(batch, n));
    }

    private static void RandomizeNorms(TransformerEncoderLayer layer, Rng rng)
    {
        foreach (var t in new[] { layer.Norm1.Gamma, layer.Norm1.Beta, layer.Norm2.Gamma, layer.Norm2.Beta })
        {
            var v = t.ToArray();
            for (var i = 0; i < v.Length; i++)
            {
                v[i] += (rng.NextFloat() - 0.5f) * 0.4f;
            }

            t.CopyFrom(v);
        }
    }
}
