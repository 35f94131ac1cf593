using System.Diagnostics;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Onnx;
using Rerank.Engine.Optim;
using Rerank.Engine.Training;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// The pointwise DNN-style evaluator (the baseline of Table 3): a slate's value is the sum of independently predicted
/// click probabilities, σ(logit) per position, trained with per-position BCE on the logged clicks.
/// </summary>
internal sealed class PointwiseEvaluator : IItemwiseEvaluator, ITrainable, ITimedComponent, IOnnxExportable
{
    private readonly PointwiseOptions _options;
    private readonly PhaseTimer _timer = new();
    private readonly ulong _seed;
    private readonly ComponentContext _component;
    private PointwiseModel? _model;

    public PointwiseEvaluator(PointwiseOptions options, ComponentContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _component = context;
        Name = context.ComponentName;
        _seed = context.Seed;
        if (context.Schema is { } known)
        {
            _model = new PointwiseModel(known, options, new Rng(_seed));
        }
    }

    public string Name { get; }

    public bool IsTrained { get; private set; }

    public IReadOnlyList<PhaseTiming> Timings => _timer.Timings;

    public void ResetTimings() => _timer.Reset();

    public double[][] Evaluate(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var flat = slates.SelectMany((list, b) => list.Select(s => (b, s.Indices))).ToArray();
        var clicks = Predict(batch, flat);
        var next = 0;
        return [.. slates.Select(list => list.Select(_ => (double)clicks[next++].Sum()).ToArray())];
    }

    public float[][] PredictPositions(RerankBatch batch, IReadOnlyList<Slate> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        return Predict(batch, [.. slates.Select((s, b) => (b, s.Indices))]);
    }

    /// <summary>Always: every field the model reads, context included, has an <c>onnx</c> plugin source.</summary>
    public bool CanExportOnnx => true;

    /// <summary>
    /// The trained model as ONNX for <c>onnx@^1.0/evaluator</c>: one row per slate, output <c>clicks</c> [rows, l], each
    /// position's click probability (0 at padding), which the plugin sums over the slate into the value
    /// <see cref="Evaluate"/> gives.
    /// </summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != "evaluator")
        {
            throw new InvalidOperationException($"{Name}: the pointwise evaluator exports as onnx@^1.0/evaluator, not {settings.Kind}");
        }

        if (_model is null || !IsTrained)
        {
            throw new InvalidOperationException($"{Name}: the evaluator is not trained; train or load it before exporting.");
        }

        var graph = new OnnxGraph(Name);
        var inputs = new OnnxInputs(graph, "rows");
        graph.Output(_model.ToOnnx(inputs), "clicks", OnnxType.Float, "rows", "l");
        var metadata = OnnxExport.MetadataFor(
            TrainedWeights.Identity(_component, _options, _model.Schema),
            "evaluator",
            settings,
            [KeyValuePair.Create("rerank.max_positions", _model.MaxLength.ToString(CultureInfo.InvariantCulture))]); // max_length, which the onnx plugin checks slates against
        return new OnnxExport(graph, inputs.Sources, "clicks", "", metadata);
    }

    public TrainResult Train(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        if (_model is null || !_model.Schema.Equals(data.Schema))
        {
            _model = new PointwiseModel(data.Schema, _options, new Rng(_seed));
        }

        var m = _model;
        var rng = new Rng(StableHash.Mix(context.Seed, StableHash.Of("degre-dnn-shuffle")));
        var settings = _options.Training.Loop(keepBest: true);
        var curve = MinibatchLoop.Run(m, data.Train, settings, rng, lists => Loss(m, lists), () => Validate(m, data.Validation), context, _timer, Name);
        _model.Eval();
        IsTrained = true;
        return new TrainResult(curve, clock.Elapsed);
    }

    /// <summary>Mean loss per validation list (no gradients); null without validation lists.</summary>
    private double? Validate(PointwiseModel m, IReadOnlyList<LoggedList> validation)
    {
        if (validation.Count == 0)
        {
            return null;
        }

        m.Eval();
        var sum = 0.0;
        using (Autograd.NoGrad())
        {
            foreach (var chunk in validation.Chunk(_options.Training.BatchSize))
            {
                using var scope = TensorScope.Begin();
                sum += Loss(m, chunk).ToScalar() * chunk.Length;
            }
        }

        return sum / validation.Count;
    }

    public void Save(string path) => TrainedWeights.Save(_model, _model?.Schema, path, _component, _options);

    public void Load(string path)
    {
        TrainedWeights.Load(_model, _model?.Schema, path, _component, _options);
        IsTrained = true;
    }

    private static Tensor Loss(PointwiseModel model, IReadOnlyList<LoggedList> lists)
    {
        var batch = RerankBatch.Create(model.Schema, [.. lists.Select(l => l.Request)]);
        var n = batch.MaxCandidates;
        var length = lists.Max(l => l.Exposed.Length);
        var items = new int[lists.Count * length];
        var targets = new float[items.Length];
        var mask = new float[items.Length];
        for (var s = 0; s < lists.Count; s++)
        {
            for (var t = 0; t < length; t++)
            {
                var real = t < lists[s].Exposed.Length;
                items[(s * length) + t] = (s * n) + lists[s].Exposed[real ? t : 0];
                targets[(s * length) + t] = real ? lists[s].Clicks[t] : 0f;
                mask[(s * length) + t] = real ? 1f : 0f;
            }
        }

        var shape = new TensorShape(lists.Count, length);
        var loss = Ops.BinaryCrossEntropyWithLogits(model.Logits(batch, items, lists.Count, length), Tensor.FromArray(targets, shape), Tensor.FromArray(mask, shape));
        return Ops.Affine(loss, items.Length / Math.Max(1f, mask.Sum()), 0f);
    }

    private float[][] Predict(RerankBatch batch, IReadOnlyList<(int Request, int[] Items)> lists)
    {
        var m = _model is not null && IsTrained ? _model : throw new ComponentException($"{Name}: the model has no weights; train it or load a checkpoint first");
        var n = batch.MaxCandidates;
        var result = new float[lists.Count][];
        using var scope = TensorScope.Inference();
        foreach (var group in lists.Select((l, i) => (l, i)).GroupBy(x => x.l.Items.Length))
        {
            var members = group.ToArray();
            var length = group.Key;
            if (length == 0)
            {
                foreach (var (_, i) in members)
                {
                    result[i] = [];
                }

                continue;
            }

            var items = members.SelectMany(x => x.l.Items.Select(c => (x.l.Request * n) + c)).ToArray();
            var logits = m.Logits(batch, items, members.Length, length).ToArray();
            for (var s = 0; s < members.Length; s++)
            {
                result[members[s].i] = [.. Enumerable.Range(0, length).Select(t => 1f / (1f + MathF.Exp(-logits[(s * length) + t])))];
            }
        }

        return result;
    }
}
