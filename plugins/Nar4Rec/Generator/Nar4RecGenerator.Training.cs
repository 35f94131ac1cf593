using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.Optim;
using Rerank.Engine.Training;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>Training (eq. 13–15, 18–20 with Adam, §5.1) and checkpoints of the generator.</summary>
internal sealed partial class Nar4RecGenerator
{
    public TrainResult Train(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var watch = Stopwatch.StartNew();
        var model = Build(data.Schema);
        model.To(_device); // trains where the YAML 'device:' says (every op has a CUDA kernel), then serves from there
        var train = Usable(data.Train);
        if (train.Count == 0)
        {
            throw new ComponentException($"{Name}: no logged list to train on");
        }

        var curve = MinibatchLoop.Run(
            model,
            train,
            _options.Training.Loop(clipNorm: _options.ClipNorm),
            new Rng(StableHash.Mix(context.Seed, StableHash.Of("nar4rec.generator.shuffle"))),
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
            throw new ComponentException($"{Name}: nothing to save, the generator is not trained");
        }

        Checkpoint.Save(_model, path, Identity(_schema));
    }

    public void Load(string path)
    {
        if (_schema is null)
        {
            throw new ComponentException($"{Name}: cannot load '{path}' without the data's feature schema");
        }

        var model = new GeneratorModel(_schema, _options, new Rng(0));
        Checkpoint.Load(model, path, Identity(_schema));
        model.Eval();
        _model = model;
        IsTrained = true;
    }

    /// <summary>Who the weights belong to: this plugin and component, its options, the data's schema.</summary>
    private CheckpointIdentity Identity(FeatureSchema schema) =>
        new(_context.PluginId, _context.PluginVersion, Name, HyperParameters.From(_options), schema.Describe());

    /// <summary>The objective of eq. 20 on one mini-batch: eq. 15 (or eq. 13 on all lists without unlikelihood) + ω(L_position + L_item).</summary>
    internal Tensor Loss(GeneratorModel model, IReadOnlyList<LoggedList> lists)
    {
        var batch = RerankBatch.Create(model.Features.Schema, [.. lists.Select(l => l.Request)]);
        var m = lists.Max(l => l.Exposed.Length);
        var targets = new int[lists.Count * m];
        Array.Fill(targets, -1);
        var positive = new bool[lists.Count];
        for (var i = 0; i < lists.Count; i++)
        {
            lists[i].Exposed.CopyTo(targets, i * m);
            positive[i] = !_options.Unlikelihood || ListUtility.Of(lists[i], _options.ClickWeight, _options.ConversionWeight) >= _options.Tau; // eq. 15 split
        }

        var mask = model.MaskOf(batch);
        var candidates = model.EncodeCandidates(batch, mask);
        var positions = model.EncodePositions(candidates, mask, m, [.. lists.Select(l => l.Exposed.Length)]);
        var loss = GeneratorLosses.Sequence(model.LogProbabilities(candidates, positions, mask), targets, positive);
        if (_options.Omega > 0)
        {
            var contrastive = Ops.Add(
                GeneratorLosses.Contrastive(candidates, batch.CandidateMask, _options.Rho), // eq. 18, over candidate representations
                GeneratorLosses.Contrastive(positions, PositionMask(lists, m), _options.Rho)); // eq. 19, over position representations
            loss = Ops.Add(loss, Ops.Affine(contrastive, _options.Omega, 0f)); // eq. 20 with weight ω
        }

        return loss;
    }

    private double? Validate(GeneratorModel model, IReadOnlyList<LoggedList> lists)
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

    private static float[] PositionMask(IReadOnlyList<LoggedList> lists, int m)
    {
        var mask = new float[lists.Count * m];
        for (var i = 0; i < lists.Count; i++)
        {
            mask.AsSpan(i * m, lists[i].Exposed.Length).Fill(1f);
        }

        return mask;
    }
}
