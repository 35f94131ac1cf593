using Rerank.Engine.Backends;

namespace Rerank.Engine.Tests;

/// <summary>
/// A backward kernel told that its gradient is fresh (created without the zero fill) must store exactly what adding onto
/// zeros would — −0 becomes +0 — whatever the buffer held, so that skipping the fill changes no bit of any gradient.
/// </summary>
public sealed class FreshGradientTests
{
    private const int Count = 1003; // vector body and a scalar tail

    [Theory]
    [InlineData((int)UnaryOp.Affine)]
    [InlineData((int)UnaryOp.Relu)]
    [InlineData((int)UnaryOp.Gelu)]
    [InlineData((int)UnaryOp.Sigmoid)]
    [InlineData((int)UnaryOp.Tanh)]
    [InlineData((int)UnaryOp.Exp)]
    [InlineData((int)UnaryOp.Log)]
    [InlineData((int)UnaryOp.Square)]
    [InlineData((int)UnaryOp.Sqrt)]
    public void UnaryBackward_Fresh_StoresWhatAddingOntoZerosWould(int code)
    {
        var op = (UnaryOp)code;
        var be = Backend.For(Device.Cpu);
        var x = Values(1, positive: op is UnaryOp.Log or UnaryOp.Sqrt);
        var y = Tensor.Zeros(x.Shape);
        be.Unary(op, x, y, 1.5f, 0f);
        var dy = Values(2, positive: false);

        var onto = Tensor.Zeros(x.Shape);
        be.UnaryBackward(op, x, y, dy, onto, 1.5f, accumulate: true);
        var fresh = Tensor.Full(x.Shape, float.NaN);
        be.UnaryBackward(op, x, y, dy, fresh, 1.5f, accumulate: false);

        Bits(fresh).ShouldBe(Bits(onto));
        Bits(onto).ShouldContain(0); // some −0 products became +0
    }

    [Fact]
    public void ReduceToShape_Fresh_StoresWhatAddingOntoZerosWould()
    {
        var be = Backend.For(Device.Cpu);
        var src = Values(3, positive: false);
        var onto = Tensor.Zeros(src.Shape);
        be.ReduceToShape(src, onto, accumulate: true);
        var fresh = Tensor.Full(src.Shape, float.NaN);
        be.ReduceToShape(src, fresh, accumulate: false);
        Bits(fresh).ShouldBe(Bits(onto));

        // broadcast: [4, Count] summed to [1, Count]
        var wide = Tensor.FromArray([.. Enumerable.Range(0, 4).SelectMany(i => Values(10 + i, positive: false).ToArray())], new TensorShape(4, Count));
        var ontoRow = Tensor.Zeros(new TensorShape(1, Count));
        be.ReduceToShape(wide, ontoRow, accumulate: true);
        var freshRow = Tensor.Full(new TensorShape(1, Count), float.NaN);
        be.ReduceToShape(wide, freshRow, accumulate: false);
        Bits(freshRow).ShouldBe(Bits(ontoRow));
    }

    [Fact]
    public void Gradients_ThroughAddGeluAndAttention_AccumulateWhereTheyAlreadyExist()
    {
        // q feeds the attention and two later ops, so its gradient exists when the attention's backward runs (accumulate)
        // while k's and v's do not (fresh): both must equal the composition spelled out with plain ops
        var q = GradCheck.Random(GradCheck.S(2, 9, 32), 1);
        var k = GradCheck.Random(GradCheck.S(2, 9, 32), 2);
        var v = GradCheck.Random(GradCheck.S(2, 9, 32), 3);
        var fused = Run(q, k, v, (a, b, c) => Ops.MultiHeadAttention(a, b, c, 2));
        var composed = Run(q, k, v, (a, b, c) => Composed(a, b, c, 2));
        for (var i = 0; i < fused.Length; i++)
        {
            Bits(fused[i]).ShouldBe(Bits(composed[i]));
        }
    }

    private static Tensor[] Run(Tensor q, Tensor k, Tensor v, Func<Tensor, Tensor, Tensor, Tensor> attention)
    {
        var q1 = Tensor.FromArray(q.ToArray(), q.Shape);
        var k1 = Tensor.FromArray(k.ToArray(), k.Shape);
        var v1 = Tensor.FromArray(v.ToArray(), v.Shape);
        q1.RequiresGrad = k1.RequiresGrad = v1.RequiresGrad = true;
        var h = Ops.Add(Ops.Gelu(q1), q1);
        var y = Ops.Add(attention(h, k1, v1), Ops.Gelu(h));
        Ops.Sum(Ops.Mul(y, y)).Backward();
        return [y, q1.Grad!, k1.Grad!, v1.Grad!];
    }

    private static Tensor Composed(Tensor q, Tensor k, Tensor v, int heads)
    {
        var (b, n, d) = (q.Shape[0], q.Shape[1], q.Shape[2]);
        var dh = d / heads;
        var qh = Ops.Permute(Ops.Reshape(q, new TensorShape(b, n, heads, dh)), 0, 2, 1, 3);
        var kh = Ops.Permute(Ops.Reshape(k, new TensorShape(b, n, heads, dh)), 0, 2, 1, 3);
        var vh = Ops.Permute(Ops.Reshape(v, new TensorShape(b, n, heads, dh)), 0, 2, 1, 3);
        return Ops.Reshape(Ops.Permute(Ops.Attention(qh, kh, vh, null, false), 0, 2, 1, 3), new TensorShape(b, n, d));
    }

    /// <summary>Values in (−2, 2) (or (0.1, 2.1)) with exact zeros of both signs sprinkled in.</summary>
    private static Tensor Values(int seed, bool positive)
    {
        var rng = new Rng((ulong)seed);
        var a = new float[Count];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = positive ? 0.1f + (2f * rng.NextFloat()) : (i % 7) switch
            {
                0 => -0f,
                3 => 0f,
                _ => (4f * rng.NextFloat()) - 2f,
            };
        }

        return Tensor.FromArray(a, new TensorShape(Count));
    }

    private static int[] Bits(Tensor t) => [.. t.ToArray().Select(BitConverter.SingleToInt32Bits)];
}
