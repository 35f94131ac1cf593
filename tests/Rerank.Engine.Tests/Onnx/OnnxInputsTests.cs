using Microsoft.ML.OnnxRuntime;
using Rerank.Engine.Onnx;

namespace Rerank.Engine.Tests.Onnx;

public sealed class OnnxInputsTests
{
    [Fact]
    public void Get_SameSourceTwice_DeclaresOneInput()
    {
        var graph = new OnnxGraph();
        var inputs = new OnnxInputs(graph);
        var first = inputs.Get("candidate_mask", OnnxType.Float, "batch", "n");
        var again = inputs.Get("candidate_mask", OnnxType.Float, "batch", "n");
        inputs.Get("slate_size", OnnxType.Int64, "batch");
        again.ShouldBe(first);
        graph.InputNames.ShouldBe(["candidate_mask", "slate_size"]);
        inputs.Sources.ShouldBe([new("candidate_mask", "candidate_mask"), new("slate_size", "slate_size")]);
        Should.Throw<InvalidOperationException>(() => inputs.Get("candidate_mask", OnnxType.Float, "rows", "l")).Message.ShouldContain("model input 'candidate_mask' is declared as");
    }

    [Fact]
    public void RecentHistory_WindowOfTwo_SumsTheLastRealItems()
    {
        // Request 0 has 3 items (the last two count), request 1 one item, request 2 none.
        var graph = new OnnxGraph();
        var inputs = new OnnxInputs(graph);
        var (sum, count) = inputs.RecentHistory(width: 2, window: 2);
        graph.Output(sum, "sum", OnnxType.Float, "batch", 2);
        graph.Output(count, "count", OnnxType.Float, "batch", 1);
        float[] history = [1, 10, 2, 20, 3, 30, 4, 40, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9];
        float[] mask = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        using var session = new InferenceSession(graph.ToBytes());
        using var h = OrtValue.CreateTensorValueFromMemory(history, [3, 4, 2]);
        using var m = OrtValue.CreateTensorValueFromMemory(mask, [3, 4]);
        using var results = session.Run(new RunOptions(), ["history_embeddings", "history_mask"], [h, m], ["sum", "count"]);
        results[0].GetTensorDataAsSpan<float>().ToArray().ShouldBe([5f, 50f, 9f, 9f, 0f, 0f]);
        results[1].GetTensorDataAsSpan<float>().ToArray().ShouldBe([2f, 1f, 0f]);
    }
}
