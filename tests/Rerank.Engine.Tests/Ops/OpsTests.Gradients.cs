using static Rerank.Engine.Tests.GradCheck;

namespace Rerank.Engine.Tests;


public sealed partial class OpsTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatMul_Batched_GradientMatchesFiniteDifference(bool transA, bool transB)
    {
        var a = Random(transA ? S(2, 4, 3) : S(2, 3, 4), 1);
        var b = Random(transB ? S(2, 5, 4) : S(2, 4, 5), 2);
        Check(() => Ops.MatMul(a, b, transA, transB, 0.7f), a, b);
    }

    [Fact]
    public void MatMul_SharedRightOperand_GradientMatchesFiniteDifference()
    {
        var a = Random(S(2, 3, 4), 3);
        var w = Random(S(5, 4), 4);
        Check(() => Ops.MatMul(a, w, transB: true), a, w);
    }

    [Fact]
    public void MatMul_SharedLeftOperand_GradientMatchesFiniteDifference()
    {
        var a = Random(S(3, 4), 5);
        var b = Random(S(2, 4, 2), 6);
        Check(() => Ops.MatMul(a, b), a, b);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("sub")]
    [InlineData("mul")]
    [InlineData("div")]
    public void Binary_Broadcasting_GradientMatchesFiniteDifference(string op)
    {
        var a = Random(S(2, 3, 4), 7);
        var b = AwayFromZero(S(3, 1), 8);
        var c = AwayFromZero(S(4), 9);
        Func<Tensor, Tensor, Tensor> f = op switch
        {
            "add" => Ops.Add,
            "sub" => Ops.Sub,
            "mul" => Ops.Mul,
            _ => Ops.Div,
        };
        Check(() => f(f(a, b), c), a, b, c);
    }

    [Fact]
    public void Affine_GradientMatchesFiniteDifference()
    {
        var x = Random(S(3, 2), 10);
        Check(() => (x * 2.5f) - 1f, x);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("gelu")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("square")]
    [InlineData("sqrt")]
    public void Unary_GradientMatchesFiniteDifference(string op)
    {
        var x = op is "log" or "sqrt" ? Tensor.Uniform(S(3, 5), new Rng(11), 0.5f, 2f) : AwayFromZero(S(3, 5), 11);
        Func<Tensor, Tensor> f = op switch
        {
            "relu" => Ops.Relu,
            "gelu" => Ops.Gelu,
            "sigmoid" => Ops.Sigmoid,
            "tanh" => Ops.Tanh,
            "exp" => Ops.Exp,
            "log" => Ops.Log,
            "square" => Ops.Square,
            _ => Ops.Sqrt,
        };
        Check(() => f(x), x);
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    public void Softmax_MaskedCausal_GradientMatchesFiniteDifference(bool masked, bool causal, bool log)
    {
        var x = Random(S(2, 2, 4, 4), 12, 2f);
        var mask = Tensor.FromArray([1, 1, 0, 1, 1, 1, 1, 0], S(2, 1, 1, 4));
        Check(() => log ? Ops.LogSoftmax(x, masked ? mask : null, causal) : Ops.Softmax(x, masked ? mask : null, causal), x);
    }

    [Fact]
    public void LogSoftmax_Unmasked_GradientMatchesFiniteDifference()
    {
        var x = Random(S(3, 5), 13, 2f);
        Check(() => Ops.LogSoftmax(x), x);
    }

    [Fact]
    public void LayerNorm_WithAffine_GradientMatchesFiniteDifference()
    {
        var x = Random(S(3, 6), 14, 2f);
        var g = Random(S(6), 15);
        var b = Random(S(6), 16);
        Check(() => Ops.LayerNorm(x, g, b), x, g, b);
    }

    [Fact]
    public void LayerNorm_WithoutAffine_GradientMatchesFiniteDifference()
    {
        var x = Random(S(2, 2, 5), 17, 2f);
        Check(() => Ops.LayerNorm(x, null, null), x);
    }

    [Fact]
    public void Embedding_RepeatedAndPaddingIds_GradientMatchesFiniteDifference()
    {
        var table = Random(S(5, 3), 18);
        int[] ids = [1, 4, 1, -1, 0, 2];
        Check(() => Ops.Embedding(table, ids, S(2, 3)), table);
    }

    [Fact]
    public void GatherRows_GradientMatchesFiniteDifference()
    {
        var x = Random(S(2, 4, 3), 19);
        int[] idx = [3, 0, 3, 1, -1, 2];
        Check(() => Ops.GatherRows(x, idx, 3), x);
    }

    [Fact]
    public void PickLast_GradientMatchesFiniteDifference()
    {
        var x = Random(S(2, 2, 4), 20);
        int[] idx = [3, 0, -1, 2];
        Check(() => Ops.PickLast(x, idx), x);
    }

    [Fact]
    public void ConcatSlice_GradientMatchesFiniteDifference()
    {
        var a = Random(S(2, 2, 3), 21);
        var b = Random(S(2, 1, 3), 22);
        Check(() => Ops.Slice(Ops.Concat([a, b, a], 1), 1, 1, 3), a, b);
    }

    [Fact]
    public void ReshapeTransposePermute_GradientMatchesFiniteDifference()
    {
        var x = Random(S(2, 3, 4), 23);
        Check(() => Ops.Permute(Ops.Transpose(Ops.Reshape(x, S(2, 3, 2, 2)), 1, 3), 3, 0, 2, 1), x);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    public void SumMeanAxis_GradientMatchesFiniteDifference(int axis, bool keep)
    {
        var x = Random(S(2, 3, 4), 24);
        Check(() => Ops.Add(Ops.Sum(x, axis, keep), Ops.Mean(x, axis, keep)), x);
    }

    [Fact]
    public void SumMeanAll_GradientMatchesFiniteDifference()
    {
        var x = Random(S(2, 3), 25);
        Check(() => Ops.Add(Ops.Sum(x), Ops.Mean(x)), x);
    }

    [Fact]
    public void Dropout_FixedSeed_GradientMatchesFiniteDifference()
    {
        var x = Random(S(4, 5), 26);
        Check(() => Ops.Dropout(x, 0.4f, new Rng(5), training: true), x);
    }

    [Fact]
    public void Attention_MaskedCausal_GradientMatchesFiniteDifference()
    {
        var q = Random(S(2, 2, 3, 4), 27);
        var k = Random(S(2, 2, 3, 4), 28);
        var v = Random(S(2, 2, 3, 4), 29);
        var mask = Tensor.FromArray([1, 1, 0, 1, 1, 1], S(2, 1, 1, 3));
        Check(() => Ops.Attention(q, k, v, mask, causal: true), q, k, v);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_Weighted_GradientMatchesFiniteDifference()
    {
        var x = Random(S(3, 4), 30, 3f);
        var t = Tensor.Uniform(S(3, 4), new Rng(31), 0f, 1f);
        var w = Tensor.Uniform(S(3, 4), new Rng(32), 0.5f, 2f);
        Check(() => Ops.BinaryCrossEntropyWithLogits(x, t, w), x);
    }

    [Fact]
    public void CrossEntropy_MaskedIgnoreIndex_GradientMatchesFiniteDifference()
    {
        var x = Random(S(3, 5), 33, 2f);
        var mask = Tensor.FromArray([1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1], S(3, 5));
        int[] targets = [2, -1, 4];
        Check(() => Ops.CrossEntropy(x, targets, mask), x);
    }

    [Fact]
    public void KlDivergence_GradientMatchesFiniteDifference()
    {
        var logits = Random(S(2, 4), 34, 2f);
        var p = Tensor.FromArray([0.1f, 0.2f, 0.3f, 0.4f, 0f, 0.5f, 0.5f, 0f], S(2, 4));
        Check(() => Ops.KlDivergence(Ops.LogSoftmax(logits), p), logits);
    }

    [Fact]
    public void HingeAndMarginRanking_GradientMatchesFiniteDifference()
    {
        var s = AwayFromZero(S(6), 35);
        var y = Tensor.FromArray([1, -1, 1, 1, -1, -1]);
        var pos = Tensor.FromArray([0.3f, 2f, -0.5f]);
        var neg = Tensor.FromArray([0.1f, 0.2f, 0.4f]);
        Check(() => Ops.Add(Ops.Hinge(s, y, 0.5f), Ops.MarginRanking(pos, neg)), s, pos, neg);
    }

    [Fact]
    public void MeanSquaredError_GradientMatchesFiniteDifference()
    {
        var p = Random(S(2, 3), 36);
        var t = Random(S(2, 3), 37);
        Check(() => Ops.MeanSquaredError(p, t), p, t);
    }

    [Fact]
    public void Linear_WithAndWithoutBias_GradientMatchesFiniteDifference()
    {
        var x = Random(S(2, 3, 4), 46);
        var w = Random(S(5, 4), 47);
        var b = Random(S(5), 48);
        Check(() => Ops.Add(Ops.Linear(x, w, b), Ops.Linear(x, w, null)), x, w, b);
    }
}
