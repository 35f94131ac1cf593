using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Optim;
using Rerank.Engine.Training;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.DeGRe;

internal sealed partial class LookaheadEvaluator
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

        var m = _model!;
        var rng = new Rng(StableHash.Mix(context.Seed, StableHash.Of("degre-evaluator-shuffle")));

        // Early stopping (KeepBest): the weights of the epoch with the lowest validation loss are kept.
        var settings = _options.Training.Loop(keepBest: true);
        var curve = MinibatchLoop.Run(m, data.Train, settings, rng, lists => Loss(m, lists), () => Validate(m, data.Validation), context, _timer, Name);
        m.Eval();
        IsTrained = true;
        return new TrainResult(curve, clock.Elapsed);
    }

    public void Save(string path) => TrainedWeights.Save(_model, _schema, path, _component, _options);

    public void Load(string path)
    {
        TrainedWeights.Load(_model, _schema, path, _component, _options);
        IsTrained = true;
    }

    /// <summary>
    /// The ordered BCE of eq. 8: for every position t of a logged list and every threshold k ≤ t, the label is whether
    /// the clicks among the first t items reach k (y_t,k = 1[V_t ≥ k]); thresholds k &gt; t are masked out (the
    /// lower-triangular mask), and the mean runs over the unmasked entries only.
    /// </summary>
    internal static Tensor Loss(LookaheadModel model, IReadOnlyList<LoggedList> lists)
    {
        var batch = RerankBatch.Create(model.Schema, [.. lists.Select(l => l.Request)]);
        var n = batch.MaxCandidates;
        var length = lists.Max(l => l.Exposed.Length);
        var width = model.MaxLength;
        var s = lists.Count;
        var items = new int[s * length];
        for (var i = 0; i < s; i++)
        {
            for (var t = 0; t < length; t++)
            {
                items[(i * length) + t] = (i * n) + lists[i].Exposed[t < lists[i].Exposed.Length ? t : 0];
            }
        }

        var (targets, mask, valid) = OrderedLabels(lists, length, width);
        var logits = model.Logits(Candidates(model, batch), items, s, length);
        var shape = new TensorShape(s, length, width);
        var loss = Ops.BinaryCrossEntropyWithLogits(logits, Tensor.FromArray(targets, shape), Tensor.FromArray(mask, shape));
        return Ops.Affine(loss, targets.Length / (float)Math.Max(1, valid), 0f);
    }

    /// <summary>
    /// The labels and mask of eq. 8, [S, T, width]: y_t,k = 1[clicks among the first t+1 items ≥ k+1] for k ≤ t (eq. 7,
    /// thresholds from 1), mask 1 on the lower triangle k ≤ t of real positions; also the number of unmasked entries.
    /// </summary>
    internal static (float[] Targets, float[] Mask, int Valid) OrderedLabels(IReadOnlyList<LoggedList> lists, int length, int width)
    {
        var targets = new float[lists.Count * length * width];
        var mask = new float[targets.Length];
        var valid = 0;
        for (var i = 0; i < lists.Count; i++)
        {
            var list = lists[i];
            var clicks = 0f;
            for (var t = 0; t < Math.Min(length, list.Exposed.Length); t++)
            {
                clicks += list.Clicks[t];
                for (var k = 0; k <= t && k < width; k++)
                {
                    var at = (((i * length) + t) * width) + k;
                    targets[at] = clicks >= k + 1 ? 1f : 0f;
                    mask[at] = 1f;
                    valid++;
                }
            }
        }

        return (targets, mask, valid);
    }

    private double? Validate(LookaheadModel m, IReadOnlyList<LoggedList> validation)
    {
        if (validation.Count == 0)
        {
            return null;
        }

        m.Eval();
        var total = 0.0;
        var batches = 0;
        using (Autograd.NoGrad())
        {
            foreach (var chunk in validation.Chunk(_options.Training.BatchSize))
            {
                using var scope = TensorScope.Begin();
                total += Loss(m, chunk).ToScalar();
                batches++;
            }
        }

        return total / Math.Max(1, batches);
    }
}
