using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.Optim;
using Rerank.Engine.Training;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>Training on logged exposures (binary cross-entropy of click and conversion per position) and checkpoints.</summary>
internal sealed partial class SequenceEvaluator
{
    public TrainResult Train(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var watch = Stopwatch.StartNew();
        if (_model is null || _schema is null || !_schema.Equals(data.Schema))
        {
            _schema = data.Schema;
            _model = new EvaluatorModel(data.Schema, _options, new Rng(StableHash.Mix(_seed, StableHash.Of("nar4rec.evaluator.init"))));
        }

        var model = _model;
        model.To(_device); // trains where the YAML 'device:' says (every op has a CUDA kernel), then serves from there
        var train = Usable(data.Train);
        if (train.Count == 0)
        {
            throw new ComponentException($"{Name}: no logged list to train on");
        }

        var curve = MinibatchLoop.Run(
            model,
            train,
            _options.Training.Loop(clipNorm: 5f),
            new Rng(StableHash.Mix(context.Seed, StableHash.Of("nar4rec.evaluator.shuffle"))),
            slice => Loss(model, slice),
            () => Validate(model, Usable(data.Validation)),
            context,
            _timer,
            Name);
        model.Eval();
        IsTrained = true;
        return new TrainResult(curve, watch.Elapsed);
    }

    public void Save(string path)
    {
        if (_model is null || _schema is null || !IsTrained)
        {
            throw new ComponentException($"{Name}: nothing to save, the evaluator is not trained");
        }

        Checkpoint.Save(_model, path, Identity(_schema));
    }

    public void Load(string path)
    {
        if (_schema is null)
        {
            throw new ComponentException($"{Name}: cannot load '{path}' without the data's feature schema");
        }

        var model = new EvaluatorModel(_schema, _options, new Rng(0));
        Checkpoint.Load(model, path, Identity(_schema));
        model.Eval();
        _model = model;
        IsTrained = true;
    }

    /// <summary>Who the weights belong to: this plugin and component, its options, the data's schema.</summary>
    private CheckpointIdentity Identity(FeatureSchema schema) =>
        new(_context.PluginId, _context.PluginVersion, Name, HyperParameters.From(_options), schema.Describe());

    /// <summary>Mean binary cross-entropy of the click and conversion heads over the exposed positions of <paramref name="lists"/>.</summary>
    internal static Tensor Loss(EvaluatorModel model, IReadOnlyList<LoggedList> lists)
    {
        var batch = RerankBatch.Create(model.Features.Schema, [.. lists.Select(l => l.Request)]);
        var length = lists.Max(l => l.Exposed.Length);
        var (index, valid) = Layout(lists.Count, 1, length, (b, _) => lists[b].Exposed);
        var targets = new float[lists.Count * length * EvaluatorModel.Targets];
        var weights = new float[targets.Length];
        var positions = lists.Sum(l => l.Exposed.Length);
        for (var b = 0; b < lists.Count; b++)
        {
            for (var t = 0; t < lists[b].Exposed.Length; t++)
            {
                var at = ((b * length) + t) * EvaluatorModel.Targets;
                targets[at] = lists[b].Clicks[t];
                targets[at + 1] = lists[b].Conversions[t];
                weights[at] = weights[at + 1] = targets.Length / (float)(positions * EvaluatorModel.Targets);
            }
        }

        var shape = new TensorShape(lists.Count, length, EvaluatorModel.Targets);
        var logits = model.Logits(batch, index, 1, length, valid);
        return Ops.BinaryCrossEntropyWithLogits(logits, Tensor.FromArray(targets, shape, logits.Device), Tensor.FromArray(weights, shape, logits.Device));
    }

    private double? Validate(EvaluatorModel model, IReadOnlyList<LoggedList> lists)
    {
        if (lists.Count == 0)
        {
            return null;
        }

        model.Eval();
        var total = 0.0;
        var batches = 0;
        for (var start = 0; start < lists.Count; start += _options.Training.BatchSize)
        {
            using var scope = TensorScope.Inference();
            total += Loss(model, [.. lists.Skip(start).Take(_options.Training.BatchSize)]).ToScalar();
            batches++;
        }

        return total / batches;
    }

    private List<LoggedList> Usable(IReadOnlyList<LoggedList> lists)
    {
        foreach (var l in lists)
        {
            if (l.Exposed.Length > _options.Positions)
            {
                throw new ComponentException($"{Name}: logged list of request '{l.Request.RequestId}' shows {l.Exposed.Length} items, more than positions = {_options.Positions}");
            }
        }

        return [.. lists.Where(l => l.Exposed.Length > 0)];
    }
}
