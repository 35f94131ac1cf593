using Rerank.Engine.Nn;
using static Rerank.Engine.Tests.GradCheck;

namespace Rerank.Engine.Tests;

/// <summary>Finite-difference checks of every module, over its input and all its parameters (tolerance: see <see cref="GradCheck"/>).</summary>
public sealed class ModulesGradientTests
{
    private static Tensor[] With(Module m, params Tensor[] inputs) => [.. inputs, .. m.Parameters()];

    [Fact]
    public void Linear_GradientMatchesFiniteDifference()
    {
        var m = new Linear(4, 3, new Rng(1));
        var x = Random(S(2, 2, 4), 2);
        Check(() => m.Forward(x), With(m, x));
    }

    [Fact]
    public void Embedding_GradientMatchesFiniteDifference()
    {
        var m = new Embedding(6, 3, new Rng(1));
        int[] ids = [5, 0, 5, 2];
        Check(() => Ops.Tanh(m.Forward(ids, S(2, 2))), With(m));
    }

    [Fact]
    public void LayerNorm_GradientMatchesFiniteDifference()
    {
        var m = new LayerNorm(5);
        var x = Random(S(3, 5), 3, 2f);
        Check(() => m.Forward(x), With(m, x));
    }

    [Fact]
    public void GroupLayerNorm_GradientMatchesFiniteDifference()
    {
        var m = new GroupLayerNorm(2, 3);
        var x = Random(S(2, 6), 4, 2f);
        Check(() => m.Forward(x), With(m, x));
    }

    [Fact]
    public void MultiHeadAttention_CrossWithPadding_GradientMatchesFiniteDifference()
    {
        var m = new MultiHeadAttention(4, 2, new Rng(5));
        var q = Random(S(2, 2, 4), 6);
        var mem = Random(S(2, 3, 4), 7);
        var mask = Tensor.FromArray([1, 1, 0, 1, 0, 1], S(2, 3));
        Check(() => m.Forward(q, mem, mask), With(m, q, mem));
    }

    [Fact]
    public void MultiHeadAttention_SelfCausal_GradientMatchesFiniteDifference()
    {
        var m = new MultiHeadAttention(4, 2, new Rng(8));
        var x = Random(S(1, 3, 4), 9);
        Check(() => m.Forward(x, causal: true), With(m, x));
    }

    [Fact]
    public void TransformerEncoderLayer_GradientMatchesFiniteDifference()
    {
        var m = new TransformerEncoderLayer(4, 2, 8, new Rng(10));
        var x = Random(S(2, 3, 4), 11);
        var mask = Tensor.FromArray([1, 1, 1, 1, 1, 0], S(2, 3));
        Check(() => m.Forward(x, mask), With(m, x));
    }

    [Fact]
    public void TransformerDecoderLayer_GradientMatchesFiniteDifference()
    {
        var m = new TransformerDecoderLayer(4, 2, 8, new Rng(12));
        var x = Random(S(1, 2, 4), 13);
        var mem = Random(S(1, 3, 4), 14);
        Check(() => m.Forward(x, mem), With(m, x, mem));
    }

    [Fact]
    public void TransformerEncoder_GradientMatchesFiniteDifference()
    {
        var m = new TransformerEncoder(2, 4, 2, 4, new Rng(15), activation: Activation.Tanh);
        var x = Random(S(1, 3, 4), 16);
        Check(() => m.Forward(x), With(m, x));
    }

    [Fact]
    public void Mlp_GradientMatchesFiniteDifference()
    {
        var m = new Mlp([3, 5, 2], new Rng(17), Activation.Gelu);
        var x = Random(S(4, 3), 18);
        Check(() => m.Forward(x), With(m, x));
    }

    [Fact]
    public void CrossNetwork_GradientMatchesFiniteDifference()
    {
        var m = new CrossNetwork(3, 2, new Rng(22));
        m.Parameters().Where(p => p.Shape.Rank == 1).ToList().ForEach(b => b.CopyFrom(Random(b.Shape, 23).ToArray()));
        var x = Random(S(2, 2, 3), 24);
        Check(() => m.Forward(x), With(m, x));
    }

    [Fact]
    public void Gru_GradientMatchesFiniteDifference()
    {
        var m = new Gru(3, 4, new Rng(19));
        var x = Random(S(2, 3, 3), 20);
        var h0 = Random(S(2, 4), 21);
        Check(() => m.Forward(x, h0).Outputs, With(m, x, h0));
    }

    [Fact]
    public void Dropout_TrainAndEval_GradientMatchesFiniteDifference()
    {
        var x = Random(S(3, 4), 22);
        var eval = new Dropout(0.3f, new Rng(1));
        eval.Eval();
        Check(() => Ops.Mul(eval.Forward(x), x), x);
    }
}
