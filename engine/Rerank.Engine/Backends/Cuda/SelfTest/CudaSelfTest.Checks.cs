using Rerank.Engine.Backends;
using Rerank.Engine.Nn;

namespace Rerank.Engine;

public static partial class CudaSelfTest
{
    private const double Exact = 0;
    private const double Elementwise = 1e-5;
    private const double Transcendental = 2e-5;
    private const double Reduction = 1e-4;
    private const double Gemm = 2e-4;

    private static readonly Check[] Checks =
    [
        new("Fill", Exact, i => Out(Filled(i))),
        new("Copy", Exact, i => { var x = i.Normal(7, 33); var y = i.Empty(7, 33); i.B.Copy(x, y); return Out(y); }),
        new("Axpy", Elementwise, i => { var x = i.Normal(1000); var y = i.Normal(1000); i.B.Axpy(-0.75f, x, y); return Out(y); }),
        new("MatMul NN", Gemm, i => MatMul(i, [37, 29], [29, 41], [37, 41], false, false, 1f, 0f)),
        new("MatMul NT batched", Gemm, i => MatMul(i, [3, 17, 24], [3, 19, 24], [3, 17, 19], false, true, 0.5f, 0f)),
        new("MatMul TN batched, beta", Gemm, i => MatMul(i, [4, 24, 13], [4, 24, 9], [4, 13, 9], true, false, 1f, 0.5f)),
        new("MatMul TT", Gemm, i => MatMul(i, [24, 13], [9, 24], [13, 9], true, true, 1f, 0f)),
        new("MatMul broadcast B", Gemm, i => MatMul(i, [5, 6, 60, 32], [32, 16], [5, 6, 60, 16], false, false, 1f, 0f)),
        new("MatMul broadcast A, B transposed", Gemm, i => MatMul(i, [10, 32], [6, 60, 32], [6, 10, 60], false, true, 0.25f, 0f)),
        new("LinearActivated bias", Gemm, i => Linear(i, null, bias: true)),
        new("LinearActivated bias+ReLU", Gemm, i => Linear(i, UnaryOp.Relu, bias: true)),
        new("LinearActivated GELU, no bias", Gemm, i => Linear(i, UnaryOp.Gelu, bias: false)),
        .. Enum.GetValues<BinaryOp>().Select(op => new Check($"Binary {op} same shape", Elementwise, i => Binary(i, op, [6, 50], [6, 50]))),
        .. Enum.GetValues<BinaryOp>().Select(op => new Check($"Binary {op} broadcast", Elementwise, i => Binary(i, op, [4, 1, 5, 7], [3, 1, 7]))),
        new("Binary scalar right", Elementwise, i => Binary(i, BinaryOp.Mul, [8, 9], [1])),
        new("ReduceToShape", Reduction, i => { var s = i.Normal(4, 3, 5, 7); var d = i.Empty(3, 1, 7); i.B.ReduceToShape(s, d, false); return Out(d); }),
        new("ReduceToShape accumulate", Reduction, i => { var s = i.Normal(2, 6, 5); var d = i.Normal(6, 1); i.B.ReduceToShape(s, d, true); return Out(d); }),
        .. Enum.GetValues<UnaryOp>().Select(op => new Check($"Unary {op}", Transcendental, i => Unary(i, op))),
        .. Enum.GetValues<UnaryOp>().Select(op => new Check($"UnaryBackward {op}", Transcendental, i => UnaryBackward(i, op, accumulate: true))),
        new("UnaryBackward Gelu into a fresh gradient (overwrites it)", Transcendental, i => UnaryBackward(i, UnaryOp.Gelu, accumulate: false)),
        new("Softmax", Transcendental, i => Softmax(i, [64, 60], null, false, false)),
        new("Softmax masked (broadcast [B,1,N])", Transcendental, i => Softmax(i, [8, 6, 60], [8, 1, 60], false, false)),
        new("LogSoftmax masked", Transcendental, i => Softmax(i, [8, 6, 60], [8, 1, 60], false, true)),
        new("Softmax causal", Transcendental, i => Softmax(i, [3, 2, 9, 12], null, true, false)),
        new("Softmax fully masked rows", Exact, i => Softmax(i, [4, 40], [4, 1], false, true, keep: 0f)),
        new("Softmax wide row", Transcendental, i => Softmax(i, [5, 1000], [1, 1000], false, false)),
        new("SoftmaxBackward", Transcendental, i => SoftmaxBackward(i, false)),
        new("LogSoftmaxBackward", Transcendental, i => SoftmaxBackward(i, true)),
        new("LayerNorm", Reduction, i => LayerNorm(i, affine: true)),
        new("LayerNorm no affine", Reduction, i => LayerNorm(i, affine: false)),
        new("LayerNormBackward", Reduction, i => LayerNormBackward(i)),
        new("GatherRows batched", Exact, i => Gather(i, batched: true)),
        new("GatherRows embedding", Exact, i => Gather(i, batched: false)),
        new("ScatterAddRows", Reduction, i => Scatter(i)),
        new("CopyBlocks", Exact, i => { var s = i.Normal(10, 12); var d = i.Normal(6, 20); i.B.CopyBlocks(s, 3, 12, d, 5, 20, 8, 6, false); return Out(d); }),
        new("CopyBlocks accumulate", Elementwise, i => { var s = i.Normal(10, 12); var d = i.Normal(6, 20); i.B.CopyBlocks(s, 0, 12, d, 2, 20, 12, 6, true); return Out(d); }),
        new("Permute 0213", Exact, i => { var s = i.Normal(3, 5, 4, 6); var d = i.Empty(3, 4, 5, 6); i.B.Permute(s, [0, 2, 1, 3], d, false); return Out(d); }),
        new("Permute 210 accumulate", Elementwise, i => { var s = i.Normal(3, 5, 7); var d = i.Normal(7, 5, 3); i.B.Permute(s, [2, 1, 0], d, true); return Out(d); }),
        new("ReduceAxis", Reduction, i => { var s = i.Normal(4, 9, 6); var d = i.Empty(4, 6); i.B.ReduceAxis(s, 4, 9, 6, 0.5f, d, false); return Out(d); }),
        new("ReduceAxis accumulate, inner 1", Reduction, i => { var s = i.Normal(5, 33); var d = i.Normal(5); i.B.ReduceAxis(s, 5, 33, 1, 1f, d, true); return Out(d); }),
        new("ExpandAxis", Elementwise, i => { var s = i.Normal(4, 6); var d = i.Normal(4, 9, 6); i.B.ExpandAxis(s, 4, 9, 6, 2f, d, false); return Out(d); }),
        new("ExpandAxis accumulate", Elementwise, i => { var s = i.Normal(4, 6); var d = i.Normal(4, 9, 6); i.B.ExpandAxis(s, 4, 9, 6, 0.5f, d, true); return Out(d); }),
        new("HeadsAttention N=60 dk=8 masked", Reduction, i => Attention(i, 16, 60, 60, 4, 8, masked: true, causal: false)),
        new("HeadsAttention cross, causal", Reduction, i => Attention(i, 4, 6, 60, 4, 8, masked: true, causal: true)),
        new("HeadsAttention dk=16 unmasked", Reduction, i => Attention(i, 8, 20, 20, 2, 16, masked: false, causal: false)),
        new("HeadsAttention large (global K/V)", Reduction, i => Attention(i, 2, 8, 300, 2, 40, masked: true, causal: false)),
        new("DropoutMask", Exact, i => { var m = i.Empty(5, 77); i.B.DropoutMask(m, 0.8f, new Rng(11)); return Out(m); }),
        new("BceWithLogits", Transcendental, i => { var x = i.Normal(300); var t = i.Mask(0.5f, 300); var y = i.Empty(300); i.B.BceWithLogits(x, t, y); return Out(y); }),
        new("BceWithLogitsBackward", Transcendental, i => { var x = i.Normal(300); var t = i.Mask(0.5f, 300); var g = i.Normal(300); var d = i.Normal(300); i.B.BceWithLogitsBackward(x, t, g, d); return Out(d); }),
        new("PickLast", Exact, i => { var x = i.Normal(40, 13); var y = i.Empty(40); i.B.PickLast(x, i.Index(40, 13, true), y); return Out(y); }),
        new("PickLastBackward", Elementwise, i => { var g = i.Normal(40); var d = i.Normal(40, 13); i.B.PickLastBackward(g, i.Index(40, 13, true), d); return Out(d); }),
        new("GreedySlates N=60 L=6", Exact, i => Greedy(i, 50, 6, 60, ties: false)),
        new("GreedySlates ties, -inf, N=100 L=10", Exact, i => Greedy(i, 20, 10, 100, ties: true)),
        new("KlDiv", Transcendental, i => { var q = i.Normal(200); var p = i.Uniform(0f, 1f, 200); var y = i.Empty(200); i.B.KlDiv(q, p, y); return Out(y); }),
        new("KlDivBackward", Elementwise, i => { var p = i.Uniform(0f, 1f, 200); var g = i.Normal(200); var d = i.Normal(200); i.B.KlDivBackward(p, g, d); return Out(d); }),
        new("SumSquares", 1e-6, i => [(float)i.B.SumSquares(i.Normal(100_003)) / 100_003f]),
        new("AdamStep", Transcendental, i => Adam(i, decoupled: false)),
        new("AdamStep decoupled (AdamW)", Transcendental, i => Adam(i, decoupled: true)),
        new("SgdStep", Elementwise, i => Sgd(i, nesterov: false)),
        new("SgdStep Nesterov", Elementwise, i => Sgd(i, nesterov: true)),
        new("TransformerEncoder forward (module moved)", 1e-3, Encoder),
        new("TryHeadsAttentionForward dk=16 masked, causal (fused where the backend fuses it, the composed ops elsewhere)", 1e-4, i => AttentionWithGradients(i, causal: true, gradients: false)),
        new("HeadsAttentionBackward dk=16 masked (the gradients of q, k, v)", 1e-4, i => AttentionWithGradients(i, causal: false, gradients: true)),
        new("FusesKernels (an encoder layer's output and input gradient while training, fused or composed)", 1e-3, EncoderLayerTraining),
        new("TryEncoderLayer dk=16 causal, ReLU (fused on the CPU, the layer's ops where not fused)", 1e-3, EncoderLayer),
        new("TransformerDecoderLayer forward (module moved)", 1e-3, Decoder),
        new("TransformerEncoder backward (gradients)", 1e-3, EncoderGradients),
    ];

    private static float[] Out(params Tensor[] tensors) => [.. tensors.SelectMany(t => t.ToArray())];

    /// <summary>Greedy picks as floats; with ties, scores are rounded to halves, a fifth are −∞ and the first row is all −∞.</summary>
    private static float[] Greedy(Inputs i, int rows, int l, int n, bool ties)
    {
        var host = new float[rows * l * n];
        for (var k = 0; k < host.Length; k++)
        {
            var v = i.Rng.NextNormal();
            host[k] = !ties ? v : i.Rng.NextFloat() < 0.2f ? float.NegativeInfinity : MathF.Round(v * 2f) / 2f;
        }

        if (ties)
        {
            host.AsSpan(0, l * n).Fill(float.NegativeInfinity);
        }

        var picks = new int[rows * l];
        i.B.GreedySlates(Tensor.FromArray(host, new TensorShape(rows, l, n), i.Device), picks);
        return [.. picks.Select(p => (float)p)];
    }

    private static Tensor Filled(Inputs i)
    {
        var t = i.Empty(3, 1001);
        i.B.Fill(t, -2.5f);
        return t;
    }

    private static float[] MatMul(Inputs i, int[] a, int[] b, int[] c, bool transA, bool transB, float alpha, float beta)
    {
        var ta = i.Normal(a);
        var tb = i.Normal(b);
        var tc = i.Normal(c);
        i.B.MatMul(ta, tb, tc, transA, transB, alpha, beta);
        return Out(tc);
    }

    private static float[] Linear(Inputs i, UnaryOp? activation, bool bias)
    {
        var x = i.Normal(2, 60, 32);
        var w = i.Normal(64, 32);
        var b = bias ? i.Normal(64) : null;
        var y = i.Empty(2, 60, 64);
        i.B.LinearActivated(x, w, b, activation, y);
        return Out(y);
    }

    private static float[] Binary(Inputs i, BinaryOp op, int[] a, int[] b)
    {
        var ta = i.Normal(a);
        var tb = op == BinaryOp.Div ? i.Uniform(0.5f, 2f, b) : i.Normal(b);
        var y = i.Empty(Ops.BroadcastShape(ta.Shape, tb.Shape).ToArray());
        i.B.Binary(op, ta, tb, y);
        return Out(y);
    }

    private static float[] Unary(Inputs i, UnaryOp op)
    {
        var x = op is UnaryOp.Log or UnaryOp.Sqrt ? i.Uniform(0.1f, 4f, 777) : i.Normal(777);
        var y = i.Empty(777);
        i.B.Unary(op, x, y, 1.5f, -0.25f);
        return Out(y);
    }

    private static float[] UnaryBackward(Inputs i, UnaryOp op, bool accumulate)
    {
        var x = op is UnaryOp.Log or UnaryOp.Sqrt ? i.Uniform(0.1f, 4f, 777) : i.Normal(777);
        var y = i.Empty(777);
        i.B.Unary(op, x, y, 1.5f, -0.25f);
        var dy = i.Normal(777);
        var dx = i.Normal(777); // without accumulating, its values must not show in the result
        i.B.UnaryBackward(op, x, y, dy, dx, 1.5f, accumulate);
        return Out(dx);
    }

    private static float[] Softmax(Inputs i, int[] x, int[]? mask, bool causal, bool log, float keep = 0.7f)
    {
        var tx = i.Normal(x);
        var tm = mask is null ? null : i.Mask(keep, mask);
        var y = i.Empty(x);
        i.B.Softmax(tx, tm, causal, log, y);
        return Out(y);
    }

    private static float[] SoftmaxBackward(Inputs i, bool log)
    {
        var x = i.Normal(12, 60);
        var m = i.Mask(0.7f, 12, 60);
        var y = i.Empty(12, 60);
        i.B.Softmax(x, m, false, log, y);
        var dy = i.Normal(12, 60);
        var dx = i.Normal(12, 60);
        i.B.SoftmaxBackward(y, dy, log, dx);
        return Out(dx);
    }

    private static float[] LayerNorm(Inputs i, bool affine)
    {
        var x = i.Normal(130, 48);
        var g = affine ? i.Normal(48) : null;
        var b = affine ? i.Normal(48) : null;
        var y = i.Empty(130, 48);
        var mean = i.Empty(130);
        var rstd = i.Empty(130);
        i.B.LayerNorm(x, g, b, 1e-5f, y, mean, rstd);
        return Out(y, mean, rstd);
    }

    private static float[] LayerNormBackward(Inputs i)
    {
        var x = i.Normal(300, 32);
        var g = i.Normal(32);
        var y = i.Empty(300, 32);
        var mean = i.Empty(300);
        var rstd = i.Empty(300);
        i.B.LayerNorm(x, g, null, 1e-5f, y, mean, rstd);
        var dy = i.Normal(300, 32);
        var dx = i.Normal(300, 32);
        var dg = i.Normal(32);
        var db = i.Normal(32);
        i.B.LayerNormBackward(x, g, mean, rstd, dy, dx, dg, db);
        return Out(dx, dg, db);
    }

    private static float[] Gather(Inputs i, bool batched)
    {
        var src = batched ? i.Normal(4, 10, 8) : i.Normal(10, 8);
        var index = i.Index(4 * 6, 10, withNegatives: true);
        var dst = i.Empty(4, 6, 8);
        i.B.GatherRows(src, 10, batched, index, 6, dst);
        return Out(dst);
    }

    private static float[] Scatter(Inputs i)
    {
        var dy = i.Normal(4, 30, 8);
        var index = i.Index(4 * 30, 10, withNegatives: true);
        var dsrc = i.Normal(4, 10, 8);
        i.B.ScatterAddRows(dy, 10, true, index, 30, dsrc);
        return Out(dsrc);
    }

    private static float[] Attention(Inputs i, int b, int nq, int nk, int heads, int dk, bool masked, bool causal)
    {
        var q = i.Normal(b, nq, heads * dk);
        var k = i.Normal(b, nk, heads * dk);
        var v = i.Normal(b, nk, heads * dk);
        var mask = masked ? i.Mask(0.8f, b, nk) : null;
        var o = i.Empty(b, nq, heads * dk);
        i.B.HeadsAttention(q, k, v, heads, mask, causal, o);
        return Out(o);
    }

    private static float[] Adam(Inputs i, bool decoupled)
    {
        var p = i.Normal(513);
        var g = i.Normal(513);
        var m = i.Normal(513);
        var v = i.Uniform(0f, 1f, 513);
        i.B.AdamStep(p, g, m, v, new AdamStepArgs(1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled, 3));
        return Out(p, m, v);
    }

    private static float[] Sgd(Inputs i, bool nesterov)
    {
        var p = i.Normal(513);
        var g = i.Normal(513);
        var v = i.Normal(513);
        i.B.SgdStep(p, g, v, 0.1f, 0.9f, 1e-3f, nesterov);
        return Out(p, v);
    }

    private static float[] Encoder(Inputs i)
    {
        var encoder = new TransformerEncoder(2, 32, 4, 64, new Rng(3));
        encoder.Eval();
        encoder.To(i.Device);
        var x = i.Normal(4, 60, 32);
        var mask = i.Mask(0.8f, 4, 60);
        using var scope = TensorScope.Inference();
        return Out(encoder.Forward(x, mask));
    }

    private static float[] AttentionWithGradients(Inputs i, bool causal, bool gradients)
    {
        var q = i.Normal(6, 20, 64);
        var k = i.Normal(6, 20, 64);
        var v = i.Normal(6, 20, 64);
        var mask = i.Mask(0.8f, 6, 20);
        q.RequiresGrad = k.RequiresGrad = v.RequiresGrad = true;
        using var scope = TensorScope.Begin();
        var o = Ops.MultiHeadAttention(q, k, v, 4, mask, causal);
        if (!gradients)
        {
            return Out(o);
        }

        Ops.Sum(Ops.Mul(o, i.Normal(6, 20, 64))).Backward();
        return Out(q.Grad!, k.Grad!, v.Grad!);
    }

    private static float[] EncoderLayerTraining(Inputs i)
    {
        var layer = new TransformerEncoderLayer(64, 4, 96, new Rng(6));
        layer.To(i.Device);
        var x = i.Normal(4, 30, 64);
        x.RequiresGrad = true;
        var mask = i.Mask(0.8f, 4, 30);
        using var scope = TensorScope.Begin();
        var y = layer.Forward(x, mask);
        Ops.Mean(Ops.Square(y)).Backward();
        return Out(y, x.Grad!);
    }

    private static float[] EncoderLayer(Inputs i)
    {
        var layer = new TransformerEncoderLayer(64, 4, 96, new Rng(4), activation: Activation.Relu);
        layer.Eval();
        layer.To(i.Device);
        var x = i.Normal(5, 30, 64);
        var mask = i.Mask(0.8f, 5, 30);
        using var scope = TensorScope.Inference();
        return Out(layer.Forward(x, mask, causal: true));
    }

    private static float[] Decoder(Inputs i)
    {
        var layer = new TransformerDecoderLayer(32, 4, 64, new Rng(5));
        layer.Eval();
        layer.To(i.Device);
        var t = i.Normal(4, 6, 32);
        var memory = i.Normal(4, 60, 32);
        var memoryMask = i.Mask(0.8f, 4, 60);
        var selfMask = i.Mask(0.9f, 4, 6);
        using var scope = TensorScope.Inference();
        return Out(layer.Forward(t, memory, memoryMask, causal: false, selfMask: selfMask));
    }

    private static float[] EncoderGradients(Inputs i)
    {
        var encoder = new TransformerEncoder(1, 16, 2, 32, new Rng(9));
        encoder.To(i.Device);
        var x = i.Normal(3, 10, 16);
        var mask = i.Mask(0.8f, 3, 10);
        var loss = Ops.Mean(Ops.Square(encoder.Forward(x, mask)));
        loss.Backward();
        return [.. encoder.Parameters().SelectMany(p => p.Grad!.ToArray())];
    }
}
