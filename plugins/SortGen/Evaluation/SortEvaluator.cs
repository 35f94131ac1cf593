using Rerank.Abstractions;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// SORT as a list evaluator: V(R', C) = α·V_click + β·V_conversion + γ·V_GMV (eq. 1) with each V the sum of incremental
/// values along the list (eq. 2), E[count_j] from the ordered-regression heads (eq. 5). Item-wise: P(click at t) is the
/// incremental expected click count at t. Exports to ONNX as <c>onnx@^1.0/evaluator</c> (the list value; the item-wise
/// predictions stay with the engine).
/// </summary>
internal sealed class SortEvaluator : IItemwiseEvaluator, ITrainable, ITimedComponent, IOnnxExportable
{
    private readonly SortModel _model;
    private readonly ObjectiveWeights _weights;

    public SortEvaluator(SortEvaluatorOptions options, ComponentContext context)
    {
        Name = context.ComponentName;
        _model = new SortModel(options, context);
        _weights = options.Weights;
    }

    public string Name { get; }

    public bool IsTrained => _model.IsTrained;

    public IReadOnlyList<PhaseTiming> Timings => _model.Timer.Timings;

    public double[][] Evaluate(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var rows = Rows(batch, slates.SelectMany((s, b) => s.Select(slate => (b, slate))).ToList());
        var values = new double[batch.Count][];
        if (rows is null)
        {
            return [.. slates.Select(s => new double[s.Count])];
        }

        var (click, pay) = _model.Predict(batch, rows);
        var r = 0;
        for (var b = 0; b < batch.Count; b++)
        {
            values[b] = new double[slates[b].Count];
            for (var k = 0; k < slates[b].Count; k++, r++)
            {
                values[b][k] = ListValues.Row(_model, _weights, batch, rows, click, pay, r, []);
            }
        }

        return values;
    }

    public float[][] PredictPositions(RerankBatch batch, IReadOnlyList<Slate> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var rows = Rows(batch, [.. slates.Select((s, b) => (b, s))]);
        if (rows is null)
        {
            return [.. slates.Select(_ => Array.Empty<float>())];
        }

        var (click, _) = _model.Predict(batch, rows);
        var predictions = new float[slates.Count][];
        for (var r = 0; r < slates.Count; r++)
        {
            var n = slates[r].Count;
            predictions[r] = new float[n];
            for (var j = 0; j < n; j++)
            {
                var at = (r * rows.Length) + j;
                var delta = click[at] - (j == 0 ? 0f : click[at - 1]);
                predictions[r][j] = Math.Clamp(delta, 1e-6f, 1 - 1e-6f);
            }
        }

        return predictions;
    }

    public TrainResult Train(TrainingData data, TrainingContext context) => _model.Train(data, context);

    public void Save(string path) => _model.Save(path);

    public void Load(string path) => _model.Load(path);

    public void ResetTimings() => _model.Timer.Reset();

    public bool CanExportOnnx => true;

    /// <summary>The trained SORT model as <c>onnx@^1.0/evaluator</c>: per-position values <c>[rows, l]</c> summed into V(R', C) (eq. 1–2).</summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != "evaluator")
        {
            throw new InvalidOperationException($"{Name}: the SORT evaluator exports as onnx@^1.0/evaluator (a list value per slate), not {settings.Kind}");
        }

        return _model.ExportEvaluator(settings, _weights);
    }

    /// <summary>One padded row per (request, slate); null when every slate is empty.</summary>
    private static SequenceRows? Rows(RerankBatch batch, IReadOnlyList<(int Request, Slate Slate)> slates)
    {
        var t = slates.Count == 0 ? 0 : slates.Max(s => s.Slate.Count);
        if (t == 0)
        {
            return null;
        }

        var items = new int[slates.Count * t];
        Array.Fill(items, -1);
        for (var r = 0; r < slates.Count; r++)
        {
            slates[r].Slate.Indices.CopyTo(items.AsSpan(r * t));
        }

        return new SequenceRows([.. slates.Select(s => s.Request)], items, t);
    }
}
