using Microsoft.ML.OnnxRuntime;
using Rerank.Engine.Onnx;

namespace Rerank.Engine.Tests.Onnx;

/// <summary>Engine modules written with <c>ToOnnx</c> and run by ONNX Runtime against their own forward pass (random weights and inputs).</summary>
public sealed class ModuleExportTests
{
    [Fact]
    public void Gru_WithSequenceLengths_MatchesTheEngineStepByStep()
    {
        // x [3, 4, 5]: the rows run 4, 2 and 1 steps; ONNX Runtime's states after a row's length are zeros.
        var rng = new Rng(5);
        var gru = new Nn.Gru(5, 6, rng);
        var x = Draw(rng, 3 * 4 * 5);
        int[] lengths = [4, 2, 1];
        var g = new OnnxGraph("gru");
        var gx = g.Input("x", OnnxType.Float, "batch", "t", 5);
        var gl = g.Input("lengths", OnnxType.Int32, "batch");
        g.Output(gru.ToOnnx(g, gx, gl, "gru"), "y", OnnxType.Float, "batch", "t", 6);
        using var session = new InferenceSession(g.ToBytes());
        using var vx = OrtValue.CreateTensorValueFromMemory(x, [3, 4, 5]);
        using var vl = OrtValue.CreateTensorValueFromMemory(lengths, [3]);
        using var results = session.Run(new RunOptions(), ["x", "lengths"], [vx, vl], ["y"]);
        var got = results[0].GetTensorDataAsSpan<float>().ToArray();
        got.Length.ShouldBe(3 * 4 * 6);
        for (var b = 0; b < 3; b++)
        {
            float[] expected;
            using (TensorScope.Inference())
            {
                var row = Tensor.FromArray(x.AsSpan(b * 4 * 5, lengths[b] * 5).ToArray(), new TensorShape(1, lengths[b], 5));
                expected = gru.Forward(row).Outputs.ToArray();
            }

            for (var t = 0; t < 4; t++)
            {
                for (var j = 0; j < 6; j++)
                {
                    var want = t < lengths[b] ? expected[(t * 6) + j] : 0f;
                    got[(((b * 4) + t) * 6) + j].ShouldBe(want, 1e-5f, $"row {b}, step {t}, unit {j}");
                }
            }
        }
    }

    [Fact]
    public void Gru_WithoutLengths_MatchesTheEngine()
    {
        var rng = new Rng(8);
        var gru = new Nn.Gru(3, 4, rng);
        var x = Draw(rng, 2 * 7 * 3);
        float[] expected;
        using (TensorScope.Inference())
        {
            expected = gru.Forward(Tensor.FromArray(x, new TensorShape(2, 7, 3))).Outputs.ToArray();
        }

        var g = new OnnxGraph("gru");
        var gx = g.Input("x", OnnxType.Float, "batch", "t", 3);
        g.Output(gru.ToOnnx(g, gx, null, "gru"), "y", OnnxType.Float, "batch", "t", 4);
        Run(g, x, [2, 7, 3]).ShouldBe(expected, 1e-5f);
    }

    [Fact]
    public void CrossNetwork_ThreeLayersWithBiases_MatchesTheEngine()
    {
        var rng = new Rng(13);
        var cross = new Nn.CrossNetwork(6, 3, rng);
        foreach (var (_, bias) in cross.NamedParameters().Where(p => p.Key.StartsWith("bias.", StringComparison.Ordinal)))
        {
            // Nonzero biases (they start at zero), so that their export is checked too.
            bias.CopyFrom(Draw(rng, 6));
        }

        var x = Draw(rng, 2 * 3 * 6);
        float[] expected;
        using (TensorScope.Inference())
        {
            expected = cross.Forward(Tensor.FromArray(x, new TensorShape(2, 3, 6))).ToArray();
        }

        var g = new OnnxGraph("cross");
        var gx = g.Input("x", OnnxType.Float, "batch", "n", 6);
        g.Output(cross.ToOnnx(g, gx, "cross"), "y", OnnxType.Float, "batch", "n", 6);
        Run(g, x, [2, 3, 6]).ShouldBe(expected, 1e-5f);
    }

    private static float[] Draw(Rng rng, int count) => [.. Enumerable.Range(0, count).Select(_ => rng.NextNormal())];

    private static float[] Run(OnnxGraph graph, float[] x, long[] shape)
    {
        using var session = new InferenceSession(graph.ToBytes());
        using var value = OrtValue.CreateTensorValueFromMemory(x, shape);
        using var results = session.Run(new RunOptions(), ["x"], [value], ["y"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
