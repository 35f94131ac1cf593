using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Optim;

namespace Rerank.Plugins.Pear;

/// <summary>PEAR's training loop (eq. 6 through <see cref="PearModel.Loss"/>): logged lists become (initial list = shown order, labels = clicks), Adam, clipping.</summary>
internal static class PearTraining
{
    private const int MaxValidationLists = 1000;

    /// <summary>The logged lists as requests whose candidates are the shown items in shown order, and their click labels.</summary>
    public static List<(RerankRequest Request, float[] Labels)> Lists(IReadOnlyList<LoggedList> logs, int max)
    {
        var take = max > 0 ? Math.Min(max, logs.Count) : logs.Count;
        var lists = new List<(RerankRequest, float[])>(take);
        for (var k = 0; k < take; k++)
        {
            var log = logs[k];
            var source = log.Request;
            var request = new RerankRequest
            {
                RequestId = source.RequestId,
                UserId = source.UserId,
                UserCategorical = source.UserCategorical,
                UserDense = source.UserDense,
                ContextCategorical = source.ContextCategorical,
                ContextDense = source.ContextDense,
                History = source.History,
                Candidates = [.. log.Exposed.Select(i => source.Candidates[i])],
                SlateSize = log.Exposed.Length,
            };
            lists.Add((request, log.Clicks));
        }

        return lists;
    }

    /// <summary>Trains <paramref name="model"/> with its own loss; returns the loss curve.</summary>
    public static TrainResult Run(PearModel model, TrainingData data, TrainingContext context, PearOptions options, PhaseTimer timer, string name)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var train = Lists(data.Train, options.MaxTrainLists);
        if (train.Count == 0)
        {
            throw new InvalidOperationException($"{name}: no training lists to learn from.");
        }

        var validation = Lists(data.Validation, MaxValidationLists);
        var optimizer = new Adam(model.Parameters(), new AdamOptions(options.LearningRate));
        var rng = new Rng(context.Seed ^ 0x9E3779B97F4A7C15UL);
        var order = Enumerable.Range(0, train.Count).ToArray();
        var steps = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var curve = new List<EpochLoss>();
        var best = double.PositiveInfinity;
        float[][]? bestWeights = null;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            model.Train();
            double total = 0;
            for (var s = 0; s < steps; s++)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                var chunk = order.Skip(s * options.BatchSize).Take(options.BatchSize).Select(i => train[i]).ToList();
                var (batch, labels) = Batch(data.Schema, chunk);
                double value;
                using (TensorScope.Begin())
                {
                    Tensor loss;
                    using (timer.Measure("train.forward"))
                    {
                        var x = model.Features.Encode(batch, model.HistoryCap);
                        loss = model.Loss(model.Forward(x), labels, x.ListMask);
                    }

                    value = loss.ToScalar();
                    using (timer.Measure("train.backward"))
                    {
                        optimizer.ZeroGrad();
                        loss.Backward();
                    }

                    using (timer.Measure("train.step"))
                    {
                        if (float.IsFinite(GradientClipping.ClipByGlobalNorm(model.Parameters(), 5f)))
                        {
                            optimizer.Step();
                        }
                    }
                }

                total += value;
                context.Progress?.Report(new TrainProgress(name, epoch, options.Epochs, s + 1, steps, value));
            }

            double? validationLoss = validation.Count == 0 ? null : Evaluate(model, data.Schema, validation, options.BatchSize);
            curve.Add(new EpochLoss(epoch, total / steps, validationLoss));
            if (validationLoss is { } v && v < best)
            {
                best = v;
                bestWeights = [.. model.Parameters().Select(t => t.ToArray())];
            }
        }

        // Early stopping as in the papers: keep the weights of the epoch with the lowest validation loss.
        if (bestWeights is not null)
        {
            var parameters = model.Parameters();
            for (var i = 0; i < parameters.Count; i++)
            {
                parameters[i].CopyFrom(bestWeights[i]);
            }
        }

        model.Eval();
        return new TrainResult(curve, started.Elapsed);
    }

    /// <summary>Mean loss over <paramref name="lists"/> in evaluation mode.</summary>
    public static double Evaluate(PearModel model, FeatureSchema schema, List<(RerankRequest Request, float[] Labels)> lists, int batchSize)
    {
        model.Eval();
        double total = 0;
        var batches = 0;
        for (var s = 0; s < lists.Count; s += batchSize)
        {
            var (batch, labels) = Batch(schema, lists.GetRange(s, Math.Min(batchSize, lists.Count - s)));
            using (TensorScope.Inference())
            {
                var x = model.Features.Encode(batch, model.HistoryCap);
                total += model.Loss(model.Forward(x), labels, x.ListMask).ToScalar();
            }

            batches++;
        }

        model.Train();
        return total / Math.Max(1, batches);
    }

    private static (RerankBatch Batch, float[] Labels) Batch(FeatureSchema schema, List<(RerankRequest Request, float[] Labels)> chunk)
    {
        var batch = RerankBatch.Create(schema, [.. chunk.Select(c => c.Request)]);
        var n = batch.MaxCandidates;
        var labels = new float[batch.Count * n];
        for (var r = 0; r < chunk.Count; r++)
        {
            var y = chunk[r].Labels;
            y.AsSpan(0, Math.Min(y.Length, batch.CandidateCounts[r])).CopyTo(labels.AsSpan(r * n));
        }

        return (batch, labels);
    }
}
