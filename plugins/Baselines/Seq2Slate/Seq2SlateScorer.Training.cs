using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.Optim;
using Rerank.Engine.Training;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Training: teacher-forced cross-entropy of the pointer over the candidates not yet picked, along the logged lists whose
/// utility reaches τ (the same positive sequences the NAR4Rec generator learns from); Adam. Checkpoints follow the engine's
/// contract (plugin, component, hyper-parameters, schema).
/// </summary>
internal sealed partial class Seq2SlateScorer
{
    public TrainResult Train(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var watch = Stopwatch.StartNew();
        if (_model is null || _schema is null || !_schema.Equals(data.Schema))
        {
            _schema = data.Schema;
            _model = new Seq2SlateModel(data.Schema, _options, new Rng(StableHash.Mix(_seed, StableHash.Of("seq2slate.init"))));
        }

        var model = _model;
        var train = Positives(data.Train);
        if (train.Count == 0)
        {
            throw new ComponentException($"{Name}: no logged list reaches utility tau = {_options.Tau} to train on");
        }

        var curve = MinibatchLoop.Run(
            model,
            train,
            _options.Training.Loop(clipNorm: 5f),
            new Rng(StableHash.Mix(context.Seed, StableHash.Of("seq2slate.shuffle"))),
            slice => Loss(model, slice),
            () =>
            {
                var validation = Positives(data.Validation);
                if (validation.Count == 0)
                {
                    return null;
                }

                model.Eval();
                using var scope = TensorScope.Inference();
                return Loss(model, validation).ToScalar();
            },
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
            throw new ComponentException($"{Name}: nothing to save, Seq2Slate is not trained");
        }

        Checkpoint.Save(_model, path, Identity(_schema));
    }

    public void Load(string path)
    {
        if (_schema is null)
        {
            throw new ComponentException($"{Name}: cannot load '{path}' without the data's feature schema");
        }

        var model = new Seq2SlateModel(_schema, _options, new Rng(0));
        Checkpoint.Load(model, path, Identity(_schema));
        model.Eval();
        _model = model;
        IsTrained = true;
    }

    /// <summary>Mean cross-entropy per decoded position, the softmax restricted to real candidates not yet picked.</summary>
    internal static Tensor Loss(Seq2SlateModel model, IReadOnlyList<LoggedList> lists)
    {
        var batch = RerankBatch.Create(model.Features.Schema, [.. lists.Select(l => l.Request)]);
        var n = batch.MaxCandidates;
        var length = lists.Max(l => l.Exposed.Length);
        var targets = new int[lists.Count * length];
        Array.Fill(targets, -1);
        var allowed = new float[lists.Count * length * n];
        for (var b = 0; b < lists.Count; b++)
        {
            lists[b].Exposed.CopyTo(targets, b * length);
            for (var t = 0; t < length; t++)
            {
                var row = allowed.AsSpan(((b * length) + t) * n, n);
                row[..batch.CandidateCounts[b]].Fill(1f);
                for (var s = 0; s < Math.Min(t, lists[b].Exposed.Length); s++)
                {
                    row[lists[b].Exposed[s]] = 0f;
                }
            }
        }

        var keyMask = Tensor.FromArray(batch.CandidateMask, new TensorShape(lists.Count, n));
        var logits = model.TeacherForced(model.Encode(batch, keyMask), keyMask, targets, length);
        return Ops.CrossEntropy(logits, targets, Tensor.FromArray(allowed, new TensorShape(lists.Count, length, n)));
    }

    private List<LoggedList> Positives(IReadOnlyList<LoggedList> lists)
    {
        foreach (var l in lists)
        {
            if (l.Exposed.Length > _options.Positions)
            {
                throw new ComponentException($"{Name}: logged list of request '{l.Request.RequestId}' shows {l.Exposed.Length} items, more than positions = {_options.Positions}");
            }
        }

        return [.. lists.Where(l => l.Exposed.Length > 0 && Utility(l) >= _options.Tau)];
    }

    private double Utility(LoggedList list)
    {
        var u = 0.0;
        for (var t = 0; t < list.Exposed.Length; t++)
        {
            u += (_options.ClickWeight * list.Clicks[t]) + (_options.ConversionWeight * list.Conversions[t]);
        }

        return u;
    }

    /// <summary>Who the weights belong to: this plugin and component, its options, the data's schema.</summary>
    private CheckpointIdentity Identity(FeatureSchema schema) =>
        new(_plugin.Id, _plugin.Version, Name, HyperParameters.From(_options), schema.Describe());
}
