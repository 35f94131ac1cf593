using Microsoft.ML.OnnxRuntime;
using Rerank.Engine.Onnx;

namespace Rerank.Engine.Tests.Onnx;

public sealed class OnnxGraphTests
{
    [Fact]
    public void Mlp_WithDynamicBatch_RunsInOnnxRuntime_AndMatchesHandComputed()
    {
        // y = relu(x·W + b)·v, x [batch, 2]; W [2, 3]; v [3, 1].
        float[] w = [1f, -1f, 0.5f, 2f, 0f, -0.5f];
        float[] b = [0.1f, 0.2f, -0.3f];
        float[] v = [1f, 2f, 3f];
        var g = new OnnxGraph("mlp");
        var x = g.Input("x", OnnxType.Float, "batch", 2);
        var h = g.Relu(g.Add(g.MatMul(x, g.Initializer("w", OnnxTensor.Floats(w, 2, 3))), g.Initializer("b", OnnxTensor.Floats(b, 3))));
        var y = g.MatMul(h, g.Initializer("v", OnnxTensor.Floats(v, 3, 1)));
        g.Output(g.Squeeze(y, 1), "y", OnnxType.Float, "batch");
        var bytes = g.ToBytes([new("schema", "test"), new("plugin", "unit")], "9.9.9");

        using var session = new InferenceSession(bytes);
        session.ModelMetadata.CustomMetadataMap["schema"].ShouldBe("test");
        session.ModelMetadata.ProducerName.ShouldBe("rerank");
        session.InputMetadata["x"].Dimensions.ShouldBe([-1, 2]);
        float[] input = [1f, 2f, -1f, 0.5f, 0f, 0f];
        using var value = OrtValue.CreateTensorValueFromMemory(input, [3, 2]);
        using var results = session.Run(new RunOptions(), ["x"], [value], ["y"]);
        var got = results[0].GetTensorDataAsSpan<float>().ToArray();
        got.Length.ShouldBe(3);
        for (var r = 0; r < 3; r++)
        {
            var expected = 0f;
            for (var j = 0; j < 3; j++)
            {
                var pre = (input[r * 2] * w[j]) + (input[(r * 2) + 1] * w[3 + j]) + b[j];
                expected += MathF.Max(pre, 0f) * v[j];
            }

            got[r].ShouldBe(expected, 1e-5f);
        }
    }

    [Fact]
    public void TransformerDecoderLayer_SelfAndCrossAttentionWithMasks_MatchesTheEngine()
    {
        // x [2, 3, 8] attends to itself (second request: its last position masked) and to memory [2, 4, 8] (first: one key masked).
        var rng = new Rng(11);
        var layer = new Nn.TransformerDecoderLayer(8, 2, 16, rng);
        layer.Eval();
        float[] Draw(int count) => [.. Enumerable.Range(0, count).Select(_ => rng.NextNormal())];
        var x = Draw(2 * 3 * 8);
        var memory = Draw(2 * 4 * 8);
        float[] selfMask = [1, 1, 1, 1, 1, 0];
        float[] memoryMask = [1, 1, 1, 0, 1, 1, 1, 1];
        float[] expected;
        using (TensorScope.Inference())
        {
            expected = layer.Forward(
                Tensor.FromArray(x, new TensorShape(2, 3, 8)),
                Tensor.FromArray(memory, new TensorShape(2, 4, 8)),
                Tensor.FromArray(memoryMask, new TensorShape(2, 4)),
                causal: false,
                selfMask: Tensor.FromArray(selfMask, new TensorShape(2, 3))).ToArray();
        }

        var g = new OnnxGraph("decoder");
        var gx = g.Input("x", OnnxType.Float, "batch", "t", 8);
        var gm = g.Input("memory", OnnxType.Float, "batch", "n", 8);
        var gs = g.Input("self_mask", OnnxType.Float, "batch", "t");
        var gk = g.Input("memory_mask", OnnxType.Float, "batch", "n");
        g.Output(layer.ToOnnx(g, gx, gm, gk, gs, "layer"), "y", OnnxType.Float, "batch", "t", 8);
        using var session = new InferenceSession(g.ToBytes());
        using var vx = OrtValue.CreateTensorValueFromMemory(x, [2, 3, 8]);
        using var vm = OrtValue.CreateTensorValueFromMemory(memory, [2, 4, 8]);
        using var vs = OrtValue.CreateTensorValueFromMemory(selfMask, [2, 3]);
        using var vk = OrtValue.CreateTensorValueFromMemory(memoryMask, [2, 4]);
        using var results = session.Run(new RunOptions(), ["x", "memory", "self_mask", "memory_mask"], [vx, vm, vs, vk], ["y"]);
        var got = results[0].GetTensorDataAsSpan<float>().ToArray();
        got.Length.ShouldBe(expected.Length);
        for (var i = 0; i < got.Length; i++)
        {
            got[i].ShouldBe(expected[i], 1e-4f, $"element {i}");
        }
    }

    [Fact]
    public void TransformerEncoderLayer_Causal_MatchesTheEngine()
    {
        // x [2, 4, 8] through a causal layer: position t reads positions ≤ t only, so a changed last position leaves the others.
        var rng = new Rng(12);
        var layer = new Nn.TransformerEncoderLayer(8, 2, 16, rng);
        layer.Eval();
        var x = Enumerable.Range(0, 2 * 4 * 8).Select(_ => rng.NextNormal()).ToArray();
        float[] expected;
        using (TensorScope.Inference())
        {
            expected = layer.Forward(Tensor.FromArray(x, new TensorShape(2, 4, 8)), null, causal: true).ToArray();
        }

        var g = new OnnxGraph("causal");
        var gx = g.Input("x", OnnxType.Float, "batch", "t", 8);
        g.Output(layer.ToOnnx(g, gx, null, "layer", causal: true), "y", OnnxType.Float, "batch", "t", 8);
        using var session = new InferenceSession(g.ToBytes());
        using var vx = OrtValue.CreateTensorValueFromMemory(x, [2, 4, 8]);
        using var results = session.Run(new RunOptions(), ["x"], [vx], ["y"]);
        var got = results[0].GetTensorDataAsSpan<float>().ToArray();
        got.Length.ShouldBe(expected.Length);
        for (var i = 0; i < got.Length; i++)
        {
            got[i].ShouldBe(expected[i], 1e-4f, $"element {i}");
        }
    }

    [Fact]
    public void CausalEncoderThenDecoderReadTwice_MatchesTheEngine()
    {
        // x [2, 4, 8]: a causal encoder layer, then a causal decoder layer (read twice: shared weights) against memory [2, 3, 8].
        var rng = new Rng(13);
        var encoder = new Nn.TransformerEncoderLayer(8, 2, 16, rng);
        var decoder = new Nn.TransformerDecoderLayer(8, 2, 16, rng);
        encoder.Eval();
        decoder.Eval();
        float[] Draw(int count) => [.. Enumerable.Range(0, count).Select(_ => rng.NextNormal())];
        var x = Draw(2 * 4 * 8);
        var memory = Draw(2 * 3 * 8);
        float[] memoryMask = [1, 1, 0, 1, 1, 1];
        float[] expected;
        using (TensorScope.Inference())
        {
            var m = Tensor.FromArray(memory, new TensorShape(2, 3, 8));
            var k = Tensor.FromArray(memoryMask, new TensorShape(2, 3));
            var h = encoder.Forward(Tensor.FromArray(x, new TensorShape(2, 4, 8)), null, causal: true);
            expected = decoder.Forward(decoder.Forward(h, m, k, causal: true), m, k, causal: true).ToArray();
        }

        var g = new OnnxGraph("causal");
        var gx = g.Input("x", OnnxType.Float, "batch", "t", 8);
        var gm = g.Input("memory", OnnxType.Float, "batch", "n", 8);
        var gk = g.Input("memory_mask", OnnxType.Float, "batch", "n");
        var gh = encoder.ToOnnx(g, gx, null, "encoder", causal: true);
        var gy = decoder.ToOnnx(g, decoder.ToOnnx(g, gh, gm, gk, null, "decoder", causal: true), gm, gk, null, "decoder", causal: true);
        g.Output(gy, "y", OnnxType.Float, "batch", "t", 8);
        using var session = new InferenceSession(g.ToBytes());
        using var vx = OrtValue.CreateTensorValueFromMemory(x, [2, 4, 8]);
        using var vm = OrtValue.CreateTensorValueFromMemory(memory, [2, 3, 8]);
        using var vk = OrtValue.CreateTensorValueFromMemory(memoryMask, [2, 3]);
        using var results = session.Run(new RunOptions(), ["x", "memory", "memory_mask"], [vx, vm, vk], ["y"]);
        var got = results[0].GetTensorDataAsSpan<float>().ToArray();
        got.Length.ShouldBe(expected.Length);
        for (var i = 0; i < got.Length; i++)
        {
            got[i].ShouldBe(expected[i], 1e-4f, $"element {i}");
        }
    }

    [Fact]
    public void ArgMax_FirstOfEqualMaxima_AndItsOneHot()
    {
        // ArgMax takes the first of equal maxima; Equal against a range gives the one-hot of the choice.
        var g = new OnnxGraph();
        var x = g.Input("x", OnnxType.Float, "batch", 3);
        var best = g.ArgMax(x, 1, keepDims: false);
        var ids = g.Range(g.Scalar(0L), g.Scalar(3L), g.Scalar(1L));
        g.Output(best, "best", OnnxType.Int64, "batch");
        g.Output(g.Cast(g.Equal(g.Unsqueeze(ids, 0), g.Unsqueeze(best, 1)), OnnxType.Float), "one_hot", OnnxType.Float, "batch", 3);
        g.Output(g.Sqrt(g.Mul(x, x)), "abs", OnnxType.Float, "batch", 3);
        using var session = new InferenceSession(g.ToBytes());
        using var value = OrtValue.CreateTensorValueFromMemory(new[] { 1f, 4f, 4f, -2f, -3f, -2f }, [2, 3]);
        using var results = session.Run(new RunOptions(), ["x"], [value], ["best", "one_hot", "abs"]);
        results[0].GetTensorDataAsSpan<long>().ToArray().ShouldBe([1L, 0L]);
        results[1].GetTensorDataAsSpan<float>().ToArray().ShouldBe([0f, 1f, 0f, 1f, 0f, 0f]);
        results[2].GetTensorDataAsSpan<float>().ToArray().ShouldBe([1f, 4f, 4f, 2f, 3f, 2f]);
    }

    [Fact]
    public void GatherCastWhereLayerNorm_RunInOnnxRuntime()
    {
        // Embedding lookup with -1 as padding (zero row), then layer norm over the last axis.
        var g = new OnnxGraph();
        var ids = g.Input("ids", OnnxType.Int64, "batch", "n");
        var table = g.Initializer("table", OnnxTensor.Floats([1f, 2f, 3f, 5f, -1f, 0f], 3, 2));
        var valid = g.GreaterOrEqual(ids, g.Scalar(0L));
        var rows = g.Gather(table, g.Max(ids, g.Scalar(0L)));
        var masked = g.Mul(rows, g.Unsqueeze(g.Cast(valid, OnnxType.Float), -1));
        var zero = g.Scalar(0f);
        var kept = g.Where(g.Unsqueeze(valid, -1), masked, zero);
        var norm = g.LayerNormalization(g.Add(kept, g.Scalar(0f)), g.Initializer("s", OnnxTensor.Floats([1f, 1f], 2)), g.Initializer("o", OnnxTensor.Floats([0f, 0f], 2)), 1e-5f);
        g.Output(kept, "rows", OnnxType.Float, "batch", "n", 2);
        g.Output(g.ReduceSum(norm, false, -1), "norm_sum", OnnxType.Float, "batch", "n");
        using var session = new InferenceSession(g.ToBytes());
        using var value = OrtValue.CreateTensorValueFromMemory(new long[] { 2, -1, 0 }, [1, 3]);
        using var results = session.Run(new RunOptions(), ["ids"], [value], ["rows", "norm_sum"]);
        results[0].GetTensorDataAsSpan<float>().ToArray().ShouldBe([-1f, 0f, 0f, 0f, 1f, 2f]);
        foreach (var s in results[1].GetTensorDataAsSpan<float>().ToArray())
        {
            s.ShouldBe(0f, 1e-5f);
        }
    }

    [Fact]
    public void EqualGreaterSqrt_RunInOnnxRuntime()
    {
        var g = new OnnxGraph();
        var x = g.Input("x", OnnxType.Float, "n");
        var picked = g.Where(g.Greater(x, g.Scalar(1f)), g.Sqrt(x), g.Cast(g.Equal(x, g.Scalar(0f)), OnnxType.Float));
        g.Output(picked, "y", OnnxType.Float, "n");
        using var session = new InferenceSession(g.ToBytes());
        using var value = OrtValue.CreateTensorValueFromMemory(new[] { 0f, 0.5f, 4f, 9f }, [4]);
        using var results = session.Run(new RunOptions(), ["x"], [value], ["y"]);
        results[0].GetTensorDataAsSpan<float>().ToArray().ShouldBe([1f, 0f, 2f, 3f]);
    }

    [Fact]
    public void ProtoWriter_Varints_MatchProtobufEncoding()
    {
        new ProtoWriter().Varint(1, 150).ToArray().ShouldBe(new byte[] { 0x08, 0x96, 0x01 });
        new ProtoWriter().Varint(2, -1).ToArray().Length.ShouldBe(11);
        new ProtoWriter().String(2, "testing").ToArray().ShouldBe(new byte[] { 0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67 });
    }
}
