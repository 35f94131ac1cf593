using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Optim;
using Rerank.Engine.Training;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.DeGRe;

internal sealed partial class DeGReGenerator
{
    public TrainResult Train(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        if (_model is null || _schema is null || !_schema.Equals(data.Schema))
        {
            Build(data.Schema);
        }

        var trainRequests = data.Train.Select(l => l.Request).ToArray();
        var minedCount = MinedCount(trainRequests.Length);
        var validationRequests = data.Validation.Select(l => l.Request).ToArray();
        List<MinedRequest> train;
        List<MinedRequest> validation;
        if (_options.Supervision == "exposure")
        {
            train = Exposures(data.Train);
            validation = Exposures(data.Validation);
        }
        else if (_options.Mined.Length > 0)
        {
            using var file = File.OpenRead(_options.Mined);
            train = MinedFile.Read(file);
            validation = [];
        }
        else
        {
            var t = Teacher(data, context);
            using (_timer.Measure("mine"))
            {
                train = MiningCache.GetOrMine(t, Mining, trainRequests[..minedCount], () => BeamMiner.Mine(t, data.Schema, trainRequests, 0, minedCount, Mining, context.Cancellation));
                var validationCount = _options.MineValidationRequests is { } most ? Math.Min(most, validationRequests.Length) : validationRequests.Length;
                validation = MiningCache.GetOrMine(t, Mining, validationRequests[..validationCount], () => BeamMiner.Mine(t, data.Schema, validationRequests, 0, validationCount, Mining, context.Cancellation));
            }
        }

        Check(train, trainRequests);
        Check(validation, validationRequests);
        var curve = Distill(train, trainRequests, validation, validationRequests, context);
        _model!.Eval();
        IsTrained = true;
        return new TrainResult(curve, clock.Elapsed);
    }

    public void Mine(TrainingData data, int shard, int shards, Stream output, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        var (start, count) = BeamMiner.ShardRange(MinedCount(data.Train.Count), _options.MineChunk, shard, shards);
        var t = Teacher(data, context);
        var mined = BeamMiner.Mine(t, data.Schema, [.. data.Train.Select(l => l.Request)], start, count, Mining, context.Cancellation);
        MinedFile.Write(output, mined);
    }

    public void Save(string path) => TrainedWeights.Save(_model, _schema, path, _context, _options);

    public void Load(string path)
    {
        TrainedWeights.Load(_model, _schema, path, _context, _options);
        IsTrained = true;
    }

    /// <summary>Uses <paramref name="evaluator"/> as the mining teacher (trained on first use when it is not).</summary>
    internal void UseTeacher(LookaheadEvaluator evaluator) => _teacher = evaluator;

    private int MinedCount(int available) => _options.MineRequests > 0 ? Math.Min(_options.MineRequests, available) : available;

    private MiningOptions Mining => new(_options.BeamWidth, _options.TopK, _options.WeightTemperature, _options.MineChunk);

    /// <summary>The teacher evaluator, trained on <paramref name="data"/> first when it is not trained yet.</summary>
    private LookaheadEvaluator Teacher(TrainingData data, TrainingContext context)
    {
        _teacher ??= new LookaheadEvaluator(_options.TeacherParams ?? new EvaluatorOptions(), new ComponentContext(
            _context.PluginId, _context.PluginVersion, "evaluator", data.Schema, StableHash.Mix(_context.Seed, StableHash.Of("teacher"))));
        if (!_teacher.IsTrained)
        {
            using var _ = _timer.Measure("train teacher");
            _teacher.Train(data, context);
        }

        return _teacher;
    }

    private static List<MinedRequest> Exposures(IReadOnlyList<LoggedList> logs) =>
        [.. logs.Select((l, i) => new MinedRequest(i, l.Request.RequestId, l.Request.Candidates.Count, [new MinedList(l.Exposed, 0f, 1f, [])]))];

    private static void Check(List<MinedRequest> mined, RerankRequest[] requests)
    {
        foreach (var m in mined)
        {
            if (m.Index >= requests.Length || requests[m.Index].RequestId != m.RequestId)
            {
                throw new ComponentException($"degre generator: mined request {m.Index} ('{m.RequestId}') is not in the training logs; mine the same dataset again");
            }
        }
    }

    private List<EpochLoss> Distill(List<MinedRequest> train, RerankRequest[] trainRequests, List<MinedRequest> validation, RerankRequest[] validationRequests, TrainingContext context)
    {
        var m = _model!;
        var rng = new Rng(StableHash.Mix(context.Seed, StableHash.Of("degre-generator-shuffle")));

        // Early stopping (KeepBest): the weights of the epoch with the lowest validation loss are kept.
        var settings = _options.Training.Loop(keepBest: true);
        return MinibatchLoop.Run(m, train, settings, rng, part => Loss(m, part, trainRequests), () => Validate(m, validation, validationRequests), context, _timer, Name);
    }

    /// <summary>Mean distillation loss per mined validation request (no gradients); null without any.</summary>
    private double? Validate(GeneratorModel m, List<MinedRequest> validation, RerankRequest[] validationRequests)
    {
        if (validation.Count == 0)
        {
            return null;
        }

        m.Eval();
        var sum = 0.0;
        var count = 0;
        using (Autograd.NoGrad())
        {
            foreach (var part in validation.Chunk(_options.Training.BatchSize))
            {
                using var scope = TensorScope.Begin();
                sum += Loss(m, part, validationRequests).ToScalar() * part.Length;
                count += part.Length;
            }
        }

        return sum / count;
    }

    /// <summary>
    /// The hybrid distillation loss of eq. 13, averaged over the requests: Σ_{l ∈ T_syn} w_l Σ_t [CE(v_lt, P_θ,t) +
    /// α·KL(q_t ‖ P_θ,t)], with the CE term off for "w/o hard label", the KL term off for "w/o soft label" (and for
    /// exposure supervision, which has no soft labels) and every w_l = 1 for "w/o sequence weighting".
    /// </summary>
    private Tensor Loss(GeneratorModel m, IReadOnlyList<MinedRequest> part, RerankRequest[] requests)
    {
        var batch = RerankBatch.Create(m.Schema, [.. part.Select(p => requests[p.Index])]);
        var n = batch.MaxCandidates;
        var lists = part.SelectMany((p, b) => p.Lists.Select(l => (Request: b, List: l, p.Candidates))).ToArray();
        var length = lists.Max(x => x.List.Items.Length);
        var s = lists.Length;
        var owners = new int[s];
        var items = new int[s * length];
        var weights = new float[s * length];
        var soft = new float[s * length * n];
        var entropy = 0.0;
        var useSoft = _options.SoftLabel && lists.Any(x => x.List.Soft.Length > 0);
        for (var q = 0; q < s; q++)
        {
            var (b, list, candidates) = lists[q];
            owners[q] = b;
            var w = _options.SequenceWeighting ? list.Weight : 1f;
            for (var t = 0; t < length; t++)
            {
                var real = t < list.Items.Length;
                items[(q * length) + t] = list.Items[real ? t : 0];
                if (!real)
                {
                    continue;
                }

                weights[(q * length) + t] = w;
                if (!useSoft || list.Soft.Length == 0)
                {
                    continue;
                }

                for (var c = 0; c < candidates; c++)
                {
                    var p = list.Soft[(t * candidates) + c];
                    soft[(((q * length) + t) * n) + c] = w * p;
                    entropy += p > 0f ? w * p * Math.Log(p) : 0.0;
                }
            }
        }

        var (memory, start) = m.Encode(batch);
        var logp = m.LogProbabilities(batch, memory, start, owners, items, length);
        var scale = 1f / part.Count;
        Tensor? loss = null;
        if (_options.HardLabel)
        {
            // Lookahead imitation: −Σ w_l log P_θ(v_lt | l_<t).
            var picked = Ops.PickLast(logp, items);
            loss = Ops.Affine(Ops.Sum(Ops.Mul(picked, Tensor.FromArray(weights, new TensorShape(s, length)))), -scale, 0f);
        }

        if (useSoft)
        {
            // Value alignment: α Σ w_l KL(q_t ‖ P_θ,t) = α (Σ w q log q − Σ w q log P_θ).
            var cross = Ops.Sum(Ops.Mul(logp, Tensor.FromArray(soft, new TensorShape(s, length, n))));
            var alpha = _options.HardLabel ? (float)_options.Alpha : 1f;
            var kl = Ops.Affine(cross, -alpha * scale, (float)(alpha * scale * entropy));
            loss = loss is null ? kl : Ops.Add(loss, kl);
        }

        return loss ?? throw new ComponentException($"{Name}: the loss has no term: hard_label is false and there are no soft labels (supervision: {_options.Supervision})");
    }
}
