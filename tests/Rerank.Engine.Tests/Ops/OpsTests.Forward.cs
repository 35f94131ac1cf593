using static Rerank.Engine.Tests.GradCheck;

namespace Rerank.Engine.Tests;


/// <summary>Small forward cases against hand-computed values (tolerance 1e-5 unless stated).</summary>
public sealed partial class OpsTests
{
    private static void Near(Tensor t, params float[] expected)
    {
        var a = t.ToArray();
        a.Length.ShouldBe(expected.Length);
        for (var i = 0; i < a.Length; i++)
        {
            a[i].ShouldBe(expected[i], 1e-5f, $"element {i}");
        }
    }

    [Fact]
    public void MatMul_TwoByTwo_MatchesHandComputed()
    {
        var a = Tensor.FromArray([1, 2, 3, 4], S(2, 2));
        var b = Tensor.FromArray([5, 6, 7, 8], S(2, 2));
        Near(Ops.MatMul(a, b), 19, 22, 43, 50);
        Near(Ops.MatMul(a, b, transB: true), 17, 23, 39, 53);
        Near(Ops.MatMul(a, b, transA: true), 26, 30, 38, 44);
    }

    [Fact]
    public void Add_RowBroadcast_MatchesHandComputed()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], S(2, 3));
        var b = Tensor.FromArray([10, 20, 30]);
        Near(a + b, 11, 22, 33, 14, 25, 36);
        Near(a * Tensor.FromArray([2, 3], S(2, 1)), 2, 4, 6, 12, 15, 18);
        Near(Tensor.FromArray([1f], S(1)) - a, 0, -1, -2, -3, -4, -5);
    }

    [Fact]
    public void Add_IncompatibleShapes_ThrowsNamingShapes()
    {
        var e = Should.Throw<ArgumentException>(() => Ops.Add(Tensor.Zeros(2, 3), Tensor.Zeros(4)));
        e.Message.ShouldContain("[2, 3]");
        e.Message.ShouldContain("[4]");
    }

    [Fact]
    public void Softmax_KnownRow_MatchesHandComputed()
    {
        // softmax([0, ln 2, ln 3]) = [1/6, 2/6, 3/6]
        var x = Tensor.FromArray([0f, MathF.Log(2), MathF.Log(3)], S(1, 3));
        Near(Ops.Softmax(x), 1f / 6, 2f / 6, 3f / 6);
        Near(Ops.LogSoftmax(x), MathF.Log(1f / 6), MathF.Log(2f / 6), MathF.Log(3f / 6));
    }

    [Fact]
    public void Softmax_MaskAndCausal_DropEntries()
    {
        var x = Tensor.Zeros(2, 3);
        var mask = Tensor.FromArray([1, 0, 1], S(3));
        Near(Ops.Softmax(x, mask), 0.5f, 0, 0.5f, 0.5f, 0, 0.5f);

        // causal over a 2×3 block: query 0 sees keys ≤ 1, query 1 sees all (offset Nk − Nq = 1)
        Near(Ops.Softmax(x, null, causal: true), 0.5f, 0.5f, 0, 1f / 3, 1f / 3, 1f / 3);
    }

    [Fact]
    public void Softmax_FullyMaskedRow_IsZero()
    {
        var y = Ops.Softmax(Tensor.Zeros(1, 2), Tensor.Zeros(2));
        Near(y, 0, 0);
    }

    [Fact]
    public void LayerNorm_KnownRow_MatchesHandComputed()
    {
        // x = [1, 2, 3]: μ = 2, σ² = 2/3, (x − μ)/σ = [−1.2247449, 0, 1.2247449]
        var y = Ops.LayerNorm(Tensor.FromArray([1f, 2, 3], S(1, 3)), null, null, 0f);
        Near(y, -1.2247449f, 0f, 1.2247449f);
        var g = Ops.LayerNorm(Tensor.FromArray([1f, 2, 3], S(1, 3)), Tensor.FromArray([2f, 2, 2]), Tensor.FromArray([1f, 1, 1]), 0f);
        Near(g, -1.4494898f, 1f, 3.4494898f);
    }

    [Fact]
    public void Activations_KnownValues_MatchHandComputed()
    {
        var x = Tensor.FromArray([-1f, 0f, 1f]);
        Near(Ops.Relu(x), 0, 0, 1);
        Near(Ops.Sigmoid(x), 0.26894142f, 0.5f, 0.73105858f);
        Near(Ops.Tanh(x), -0.76159416f, 0f, 0.76159416f);

        // GELU(tanh): 0.5·1·(1 + tanh(0.7978846·1.044715)) = 0.8411920
        Near(Ops.Gelu(x), -0.158808f, 0f, 0.841192f);
    }

    [Fact]
    public void Gelu_VectorAndScalarPaths_Agree()
    {
        var x = Tensor.Uniform(S(37), new Rng(3), -4f, 4f);
        var y = Ops.Gelu(x).ToArray();
        for (var i = 0; i < y.Length; i++)
        {
            var v = x[i];
            var expected = 0.5f * v * (1f + MathF.Tanh(0.7978845608f * (v + (0.044715f * v * v * v))));
            y[i].ShouldBe(expected, 1e-5f);
        }
    }

    [Fact]
    public void ConcatSlice_KnownValues_MatchHandComputed()
    {
        var a = Tensor.FromArray([1, 2, 3, 4], S(2, 2));
        var b = Tensor.FromArray([5, 6], S(2, 1));
        Near(Ops.Concat([a, b], 1), 1, 2, 5, 3, 4, 6);
        Near(Ops.Concat([a, a], 0), 1, 2, 3, 4, 1, 2, 3, 4);
        Near(Ops.Slice(Ops.Concat([a, b], 1), 1, 1, 2), 2, 5, 4, 6);
    }

    [Fact]
    public void Transpose_KnownValues_MatchHandComputed()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], S(2, 3));
        var t = Ops.Transpose(a, 0, 1);
        t.Shape.ShouldBe(S(3, 2));
        Near(t, 1, 4, 2, 5, 3, 6);
    }

    [Fact]
    public void Reductions_KnownValues_MatchHandComputed()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], S(2, 3));
        Near(Ops.Sum(a), 21);
        Near(Ops.Mean(a), 3.5f);
        Near(Ops.Sum(a, 0), 5, 7, 9);
        Near(Ops.Mean(a, 1), 2, 5);
        Ops.Sum(a, 1, keepDim: true).Shape.ShouldBe(S(2, 1));
    }

    [Fact]
    public void Losses_KnownValues_MatchHandComputed()
    {
        // BCE(0, 1) = ln 2; BCE(2, 0) = 2 + ln(1 + e⁻²) = 2.126928
        Near(Ops.BinaryCrossEntropyWithLogits(Tensor.FromArray([0f, 2f]), Tensor.FromArray([1f, 0f])), (MathF.Log(2) + 2.126928f) / 2);

        // CE over uniform logits of 4 classes = ln 4
        Near(Ops.CrossEntropy(Tensor.Zeros(2, 4), new[] { 1, 3 }), MathF.Log(4));

        // KL(p‖p) = 0
        var p = Tensor.FromArray([0.25f, 0.75f], S(1, 2));
        Near(Ops.KlDivergence(Ops.Log(p), p), 0f);

        // hinge: max(0, 1 − 1·0.5) = 0.5, max(0, 1 + 1·(−2))… labels −1, score 2 → 3; mean = 1.75
        Near(Ops.Hinge(Tensor.FromArray([0.5f, 2f]), Tensor.FromArray([1f, -1f])), 1.75f);
    }

    [Fact]
    public void Embedding_IdOutOfRange_ThrowsNamingIndex()
    {
        var e = Should.Throw<ArgumentOutOfRangeException>(() => Ops.Embedding(Tensor.Zeros(3, 2), new[] { 0, 3 }, S(2)));
        e.Message.ShouldContain("index 3");
    }

    [Fact]
    public void Dropout_Eval_IsIdentityAndTrainScalesKept()
    {
        var x = Tensor.Full(S(1000), 1f);
        Ops.Dropout(x, 0.5f, new Rng(1), training: false).ShouldBeSameAs(x);
        var y = Ops.Dropout(x, 0.5f, new Rng(1), training: true).ToArray();
        y.ShouldAllBe(v => v == 0f || v == 2f);
        y.Count(v => v == 0f).ShouldBeInRange(400, 600);
    }

    [Fact]
    public void Backward_NonScalar_ThrowsNamingShape()
    {
        var x = Tensor.Zeros(2, 2);
        x.RequiresGrad = true;
        Should.Throw<InvalidOperationException>(() => Ops.Relu(x).Backward()).Message.ShouldContain("[2, 2]");
    }

    [Fact]
    public void Backward_DiamondGraph_AccumulatesBothPaths()
    {
        // y = x·x + x → dy/dx = 2x + 1
        var x = Tensor.FromArray([3f]);
        x.RequiresGrad = true;
        var y = Ops.Sum(Ops.Add(Ops.Mul(x, x), x));
        y.Backward();
        x.Grad!.ToArray().ShouldBe([7f]);
    }

    [Fact]
    public void NoGrad_RecordsNothing()
    {
        var x = Tensor.FromArray([3f]);
        x.RequiresGrad = true;
        using (Autograd.NoGrad())
        {
            var y = Ops.Mul(x, x);
            y.RequiresGrad.ShouldBeFalse();
            y.IsLeaf.ShouldBeTrue();
        }

        Ops.Mul(x, x).RequiresGrad.ShouldBeTrue();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MultiHeadAttention_FusedInference_MatchesComposedPath(bool masked, bool causal)
    {
        var q = Random(S(2, 5, 12), 40);
        var k = Random(S(2, 11, 12), 41);
        var v = Random(S(2, 11, 12), 42);
        var mask = Tensor.Full(S(2, 11), 1f);
        mask[1, 3] = 0f;
        mask[0, 10] = 0f;
        float[] fused;
        using (Autograd.NoGrad())
        {
            fused = Ops.MultiHeadAttention(q, k, v, 3, masked ? mask : null, causal).ToArray();
        }

        q.RequiresGrad = true;
        var composed = Ops.MultiHeadAttention(q, k, v, 3, masked ? mask : null, causal);
        composed.RequiresGrad.ShouldBeTrue();
        var c = composed.ToArray();
        for (var i = 0; i < c.Length; i++)
        {
            fused[i].ShouldBe(c[i], 1e-5f, $"element {i}");
        }
    }

    [Fact]
    public void MultiHeadAttention_GradientMatchesFiniteDifference()
    {
        var q = Random(S(1, 3, 4), 43);
        var k = Random(S(1, 4, 4), 44);
        var v = Random(S(1, 4, 4), 45);
        var mask = Tensor.FromArray([1, 0, 1, 1], S(1, 4));
        Check(() => Ops.MultiHeadAttention(q, k, v, 2, mask, causal: true), q, k, v);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void LinearActivated_FusedEpilogue_MatchesComposed(bool gelu, bool bias)
    {
        var activation = gelu ? Backends.UnaryOp.Gelu : Backends.UnaryOp.Relu;
        var x = Random(S(3, 7, 20), 50, 2f);
        var w = Random(S(37, 20), 51);
        var b = bias ? Random(S(37), 52) : null;
        float[] fused;
        using (Autograd.NoGrad())
        {
            fused = Ops.LinearActivated(x, w, b, activation).ToArray();
        }

        var composed = (activation == Backends.UnaryOp.Gelu ? Ops.Gelu(Ops.Linear(x, w, b)) : Ops.Relu(Ops.Linear(x, w, b))).ToArray();
        for (var i = 0; i < fused.Length; i++)
        {
            fused[i].ShouldBe(composed[i], 1e-5f, $"element {i}");
        }
    }

    [Fact]
    public void ExpSigmoidTanh_VectorPaths_MatchDoublePrecision()
    {
        var values = new float[] { -20f, -5f, -1f, -0.3f, -0.05f, -1e-4f, 0f, 1e-4f, 0.01f, 0.0625f, 0.07f, 0.5f, 1f, 3f, 9f, 30f, -87f, 80f };
        var x = Tensor.FromArray(values);
        var e = Ops.Exp(x).ToArray();
        var s = Ops.Sigmoid(x).ToArray();
        var t = Ops.Tanh(x).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            double v = values[i];
            e[i].ShouldBe((float)Math.Exp(v), Math.Max(1e-30, Math.Exp(v) * 1e-6), $"exp({v})");
            s[i].ShouldBe((float)(1 / (1 + Math.Exp(-v))), 1e-6, $"sigmoid({v})");
            t[i].ShouldBe((float)Math.Tanh(v), 1e-6 + (Math.Abs(Math.Tanh(v)) * 1e-6), $"tanh({v})");
        }
    }
}
