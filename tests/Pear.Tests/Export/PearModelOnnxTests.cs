using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Onnx;
using Xunit.Abstractions;

namespace Rerank.Plugins.Pear.Tests.Export;

/// <summary>
/// <see cref="PearModel.ToOnnx"/> against <see cref="PearModel.Forward"/> on item logits, with untrained weights and the
/// recency embedding scaled up: a short training leaves the history's recency nearly without effect on click
/// probabilities, so an error there would hide in the scorer's parity test; here it moves logits by far more than 1e-4.
/// </summary>
public sealed class PearModelOnnxTests(ITestOutputHelper output)
{
    private static readonly SyntheticData Data = new();

    [Theory]
    [InlineData(FeatureInteraction.Mlp, HistoryPositionSite.Attention, 4)]
    [InlineData(FeatureInteraction.Mlp, HistoryPositionSite.Interaction, 4)]
    [InlineData(FeatureInteraction.Dcn, HistoryPositionSite.Attention, 6)]
    [InlineData(FeatureInteraction.Dcn, HistoryPositionSite.Interaction, 128)]
    public void ToOnnx_HistoryWithRecency_ItemLogitsMatchForward(FeatureInteraction interaction, HistoryPositionSite site, int historyLength)
    {
        var options = new PearOptions { Hidden = 16, InteractionHidden = 16, Heads = 4, Interaction = interaction, HistoryLength = historyLength, HistoryPositionSite = site };
        var model = new PearModel(Data.Schema, options, new Rng(17));
        var recency = model.NamedParameters().Single(p => p.Key == "history.recency.weight").Value;
        recency.CopyFrom([.. recency.ToArray().Select(v => 20f * v)]);
        model.Eval();

        var graph = new OnnxGraph("pear");
        var encoded = model.Features.ToOnnx(graph, model.HistoryCap);
        graph.Output(model.ToOnnx(graph, encoded), "logits", OnnxType.Float, "batch", "n");
        var path = Path.Combine(Path.GetTempPath(), $"pear-model-{Guid.NewGuid():N}.onnx");
        graph.Save(path);
        var inputs = string.Concat(encoded.Inputs.Select(i => $"  - {{ name: {i.Key}, from: {i.Value} }}\n"));
        var onnx = ComponentBuilder.Build<IStepScorer>(new OnnxPlugin(), "scorer", $"inputs:\n{inputs}output: logits\noutput_kind: item_scores\n", Data.Schema, 7);
        try
        {
            ((ITrainable)onnx).Load(path);
            var batch = RerankBatch.Create(Data.Schema, Data.Requests(40, 9));
            float[] ours;
            using (TensorScope.Inference())
            {
                ours = model.Forward(model.Features.Encode(batch, model.HistoryCap)).ItemLogits.ToArray();
            }

            var theirs = new float[ours.Length];
            using (var session = onnx.Begin(batch, new RerankContext(1)))
            {
                session.Score(new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []), theirs);
            }

            var n = batch.MaxCandidates;
            var worst = 0.0;
            for (var b = 0; b < batch.Count; b++)
            {
                for (var i = 0; i < batch.CandidateCounts[b]; i++)
                {
                    worst = Math.Max(worst, Math.Abs(ours[(b * n) + i] - theirs[(b * n) + i]));
                }
            }

            output.WriteLine($"pear model ({interaction}, recency at {site}, history_length {historyLength}): 40 requests, max abs logit difference {worst:G3}");
            worst.ShouldBeLessThanOrEqualTo(1e-4);
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }
}
