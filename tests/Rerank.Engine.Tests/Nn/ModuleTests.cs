using Rerank.Engine.Nn;

namespace Rerank.Engine.Tests;

public sealed class ModuleTests
{
    [Fact]
    public void NamedParameters_NestedModules_UseDottedPaths()
    {
        var m = new TransformerEncoder(1, 4, 2, 8, new Rng(1));
        var names = m.NamedParameters().Select(p => p.Key).ToList();
        names.ShouldContain("layers.0.attention.query.weight");
        names.ShouldContain("layers.0.feed_forward.layers.1.bias");
        names.ShouldContain("norm.weight");
        names.Distinct().Count().ShouldBe(names.Count);
    }

    [Fact]
    public void Eval_PropagatesToChildren()
    {
        var m = new TransformerEncoderLayer(4, 2, 8, new Rng(1), dropout: 0.5f);
        m.Eval();
        m.Attention.Training.ShouldBeFalse();
        m.FeedForward.Training.ShouldBeFalse();
        m.Train();
        m.Attention.Output.Training.ShouldBeTrue();
    }

    [Fact]
    public void Forward_Eval_IsDeterministicWithDropout()
    {
        var m = new TransformerEncoderLayer(4, 2, 8, new Rng(1), dropout: 0.5f);
        var x = GradCheck.Random(GradCheck.S(1, 3, 4), 2);
        m.Eval();
        m.Forward(x).ToArray().ShouldBe(m.Forward(x).ToArray());
        m.Train();
        m.Forward(x).ToArray().ShouldNotBe(m.Forward(x).ToArray());
    }

    [Fact]
    public void Linear_KnownWeights_MatchesHandComputed()
    {
        var m = new Linear(2, 1, new Rng(1));
        m.Weight.CopyFrom([2f, -1f]);
        m.Bias!.CopyFrom([0.5f]);
        m.Forward(Tensor.FromArray([3f, 4f], GradCheck.S(1, 2))).ToArray().ShouldBe([2.5f]);
    }

    [Fact]
    public void CrossNetwork_KnownWeights_MatchesHandComputed()
    {
        // x0 = [1, 3]. Layer 0 (w = [1, 2], b = [0.5, −0.5]): x0ᵀw = 7 → x1 = 7·x0 + b + x0 = [8.5, 23.5].
        // Layer 1 (w = [0, 1], b = 0): x1ᵀw = 23.5 → x2 = 23.5·x0 + x1 = [32, 94].
        var m = new CrossNetwork(2, 2, new Rng(1));
        var p = m.NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value);
        p.Keys.Order(StringComparer.Ordinal).ShouldBe(["bias.0", "bias.1", "cross.0.weight", "cross.1.weight"]);
        p["cross.0.weight"].CopyFrom([1f, 2f]);
        p["bias.0"].CopyFrom([0.5f, -0.5f]);
        p["cross.1.weight"].CopyFrom([0f, 1f]);
        p["bias.1"].CopyFrom([0f, 0f]);
        m.Forward(Tensor.FromArray([1f, 3f], GradCheck.S(1, 2))).ToArray().ShouldBe([32f, 94f]);
    }

    [Fact]
    public void Linear_WrongWidth_ThrowsNamingShape()
    {
        var m = new Linear(3, 2, new Rng(1));
        Should.Throw<ArgumentException>(() => m.Forward(Tensor.Zeros(2, 4))).Message.ShouldContain("[2, 4]");
    }

    [Fact]
    public void Gru_OneStepFromZero_MatchesHandComputed()
    {
        // with all weights 0 and biases b: r = z = σ(0 + 0) = 0.5, n = tanh(0) = 0, h' = 0.5·h
        var m = new Gru(1, 1, new Rng(1));
        foreach (var p in m.Parameters())
        {
            p.Span.Clear();
        }

        var h = m.Step(Tensor.FromArray([1f], GradCheck.S(1, 1)), Tensor.FromArray([0.8f], GradCheck.S(1, 1)));
        h.ToArray()[0].ShouldBe(0.4f, 1e-6f);
    }

    [Fact]
    public void MultiHeadAttention_PaddedKeys_DoNotChangeOutput()
    {
        var m = new MultiHeadAttention(4, 2, new Rng(3));
        m.Eval();
        var x = GradCheck.Random(GradCheck.S(1, 3, 4), 4);
        var mem = GradCheck.Random(GradCheck.S(1, 3, 4), 5);
        var mask = Tensor.FromArray([1, 1, 0], GradCheck.S(1, 3));
        var before = m.Forward(x, mem, mask).ToArray();
        mem[0, 2, 0] = 100f;
        m.Forward(x, mem, mask).ToArray().ShouldBe(before);
    }
}
