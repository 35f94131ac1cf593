using Rerank.Abstractions;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// SORT as a step scorer: for each prefix S and each remaining candidate i, V([S, i], C) of eq. 1 (a
/// <see cref="StepScoreKind.PrefixValue"/>), so any decoder (greedy, beam) can search the whole candidate set with it —
/// the "repeated calls" baseline that §3.2's one-pass generation replaces. It has no ONNX export: its scores depend on
/// the prefix a decoder has chosen, which the onnx scorer's one-shot outputs cannot express.
/// </summary>
internal sealed class PrefixValueScorer : IStepScorer, ITrainable, ITimedComponent, IOnnxExportable
{
    private readonly SortModel _model;
    private readonly ObjectiveWeights _weights;

    public PrefixValueScorer(PrefixValueOptions options, ComponentContext context)
    {
        Name = context.ComponentName;
        _model = new SortModel(options, context);
        _weights = options.Weights;
    }

    public string Name { get; }

    public StepScoreKind Kind => StepScoreKind.PrefixValue;

    public bool IsTrained => _model.IsTrained;

    public IReadOnlyList<PhaseTiming> Timings => _model.Timer.Timings;

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new Session(this, batch);
    }

    public TrainResult Train(TrainingData data, TrainingContext context) => _model.Train(data, context);

    public void Save(string path) => _model.Save(path);

    public void Load(string path) => _model.Load(path);

    public void ResetTimings() => _model.Timer.Reset();

    public bool CanExportOnnx => false;

    /// <summary>Always refuses, naming the component and why (see the class remarks) and what exports instead.</summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings) =>
        throw new InvalidOperationException(
            $"{Name}: sortgen prefix_value cannot be exported to ONNX: its score V([S, i]) runs the causal SORT transformer over the prefix S a decoder has chosen, "
            + "so it changes with every prefix, while onnx@^1.0/scorer reads fixed item_scores [B, N] or position_log_probs [B, L, N] per request. "
            + "Export sortgen/generator (onnx@^1.0/generator, the decoding in the graph) or sortgen/sort (onnx@^1.0/evaluator) instead.");

    private sealed class Session(PrefixValueScorer owner, RerankBatch batch) : IStepSession
    {
        public void Score(StepRows rows, Span<float> scores)
        {
            var n = batch.MaxCandidates;
            var t = rows.Step + 1;
            var request = new List<int>();
            var items = new List<int>();
            var target = new List<(int Row, int Candidate)>();
            for (var row = 0; row < rows.Count; row++)
            {
                var b = rows.Request[row];
                var prefix = rows.Prefix(row);
                scores.Slice(row * n, n).Clear();
                for (var i = 0; i < batch.CandidateCounts[b]; i++)
                {
                    if (prefix.Contains(i))
                    {
                        continue;
                    }

                    request.Add(b);
                    foreach (var p in prefix)
                    {
                        items.Add(p);
                    }

                    items.Add(i);
                    target.Add((row, i));
                }
            }

            if (target.Count == 0)
            {
                return;
            }

            var sequences = new SequenceRows([.. request], [.. items], t);
            var (click, pay) = owner._model.Predict(batch, sequences);
            for (var r = 0; r < target.Count; r++)
            {
                var (row, i) = target[r];
                scores[(row * n) + i] = (float)ListValues.Row(owner._model, owner._weights, batch, sequences, click, pay, r, []);
            }
        }

        public void Dispose()
        {
        }
    }
}
