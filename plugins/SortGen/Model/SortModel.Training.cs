using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Optim;
using Rerank.Engine.Training;

namespace Rerank.Plugins.SortGen;

internal sealed partial class SortModel
{
    private const int EncodeChunk = 256;

    /// <summary>Trains on logged exposures with the loss of eq. 4 (sum of eq. 5 over i ≤ j, click and pay), Adam, seeded.</summary>
    public TrainResult Train(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var watch = Stopwatch.StartNew();
        if (_schema is not null && !_schema.Equals(data.Schema))
        {
            throw new ComponentException($"{_component}: the training data's schema differs from the pipeline's: {string.Join("; ", _schema.Differences(data.Schema))}");
        }

        _schema = data.Schema;
        var lists = _options.MaxTrainLists > 0 ? [.. data.Train.Take(_options.MaxTrainLists)] : data.Train;
        if (lists.Count == 0)
        {
            throw new ComponentException($"{_component}: no logged lists to train on");
        }

        MeanPrice = MeanCandidatePrice(lists);
        var train = Encoded.Of(lists, _schema, _options, _component);
        var validation = data.Validation.Count > 0 ? Encoded.Of(data.Validation, _schema, _options, _component) : null;
        var net = new SortNetwork(_options, _schema, new Rng(context.Seed));
        var settings = _options.Training.Loop(clipNorm: 1f, keepBest: _options.RestoreBest);
        var curve = TrainingLoop.Run(
            net.Parameters(),
            train.Count,
            settings,
            new Rng(context.Seed ^ 0x5EED5EEDUL),
            rows => Loss(net, train, rows),
            () =>
            {
                net.Eval();
                return validation is null ? null : Evaluate(net, validation);
            },
            new TrainingHooks
            {
                Name = _component,
                Cancellation = context.Cancellation,
                EpochStarting = () => net.Train(),
                StepDone = (epoch, epochs, step, steps, loss) => context.Progress?.Report(new TrainProgress(_component, epoch, epochs, step, steps, loss)),
                Phase = Timer.Add,
            });

        _network = net;
        _incremental = null;
        return new TrainResult([.. curve.Select(e => new EpochLoss(e.Epoch, e.TrainLoss, e.ValidationLoss))], watch.Elapsed);
    }

    private double Evaluate(SortNetwork net, Encoded data)
    {
        var total = 0d;
        var batches = 0;
        var all = Enumerable.Range(0, data.Count).ToArray();
        using var noGrad = Autograd.NoGrad();
        for (var start = 0; start < data.Count; start += _options.Training.BatchSize)
        {
            using (TensorScope.Begin())
            {
                total += Loss(net, data, all.AsSpan(start, Math.Min(_options.Training.BatchSize, data.Count - start))).ToScalar();
            }

            batches++;
        }

        return total / batches;
    }

    /// <summary>Eq. 4: weighted sum of the click and pay losses, each the mean of eq. 5's cross-entropies over valid (i, j).</summary>
    private Tensor Loss(SortNetwork net, Encoded data, ReadOnlySpan<int> rows)
    {
        var picked = new (int Part, int Row)[rows.Length];
        var t = _options.MaxLength;
        var clicks = new float[rows.Length * t];
        var pays = new float[rows.Length * t];
        var lengths = new int[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            var n = rows[r];
            picked[r] = (n / EncodeChunk, n % EncodeChunk);
            data.Clicks.AsSpan(n * t, t).CopyTo(clicks.AsSpan(r * t, t));
            data.Pays.AsSpan(n * t, t).CopyTo(pays.AsSpan(r * t, t));
            lengths[r] = data.Lengths[n];
        }

        var f = SortFeatures.Select(data.Features, picked);
        var (click, pay) = net.Forward(f);
        var k = click.Shape.Last;
        var (ct, cw) = OrderedRegression.Targets(clicks, lengths, t, k, Ordered);
        var (pt, pw) = OrderedRegression.Targets(pays, lengths, t, k, Ordered);
        var clickLoss = Ops.BinaryCrossEntropyWithLogits(click, Tensor.FromArray(ct, click.Shape), Tensor.FromArray(cw, click.Shape));
        var payLoss = Ops.BinaryCrossEntropyWithLogits(pay, Tensor.FromArray(pt, pay.Shape), Tensor.FromArray(pw, pay.Shape));
        return Ops.Add(Ops.Affine(clickLoss, (float)_options.ClickLossWeight, 0f), Ops.Affine(payLoss, (float)_options.PayLossWeight, 0f));
    }

    private static float MeanCandidatePrice(IReadOnlyList<LoggedList> lists)
    {
        double sum = 0;
        long count = 0;
        foreach (var list in lists)
        {
            foreach (var item in list.Request.Candidates)
            {
                sum += item.Price;
                count++;
            }
        }

        var mean = count == 0 ? 0 : sum / count;
        return mean > 0 ? (float)mean : 1f;
    }

    /// <summary>Logged lists encoded once (features in chunks of <see cref="EncodeChunk"/>), with their labels padded to max_length.</summary>
    private sealed class Encoded
    {
        public required List<SortFeatures> Features { get; init; }

        public required float[] Clicks { get; init; }

        public required float[] Pays { get; init; }

        public required int[] Lengths { get; init; }

        public int Count => Lengths.Length;

        public static Encoded Of(IReadOnlyList<LoggedList> lists, FeatureSchema schema, SortModelOptions options, string component)
        {
            var t = options.MaxLength;
            var features = new List<SortFeatures>();
            var clicks = new float[lists.Count * t];
            var pays = new float[lists.Count * t];
            var lengths = new int[lists.Count];
            for (var start = 0; start < lists.Count; start += EncodeChunk)
            {
                var chunk = lists.Skip(start).Take(EncodeChunk).ToList();
                var batch = RerankBatch.Create(schema, [.. chunk.Select(l => l.Request)]);
                var items = new int[chunk.Count * t];
                Array.Fill(items, -1);
                for (var r = 0; r < chunk.Count; r++)
                {
                    var list = chunk[r];
                    var n = Math.Min(t, list.Exposed.Length);
                    lengths[start + r] = n;
                    list.Exposed.AsSpan(0, n).CopyTo(items.AsSpan(r * t, n));
                    list.Clicks.AsSpan(0, Math.Min(n, list.Clicks.Length)).CopyTo(clicks.AsSpan((start + r) * t, t));
                    list.Conversions.AsSpan(0, Math.Min(n, list.Conversions.Length)).CopyTo(pays.AsSpan((start + r) * t, t));
                }

                features.Add(SortFeatures.Encode(batch, new SequenceRows([.. Enumerable.Range(0, chunk.Count)], items, t), options.HistoryWindow, component));
            }

            return new Encoded { Features = features, Clicks = clicks, Pays = pays, Lengths = lengths };
        }
    }
}
