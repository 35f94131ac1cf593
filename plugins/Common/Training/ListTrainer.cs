using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Optim;
using Rerank.Engine.Training;

namespace Rerank.Plugins.Common;

/// <summary>
/// How every list model trains: logged lists become (a list of the shown items, their click labels), trained with the
/// model's own loss on the engine's <see cref="TrainingLoop"/> — Adam, global-norm clipping at 5 (a step whose gradient is
/// not finite is skipped), a training and validation loss per epoch, and the weights of the epoch with the lowest
/// validation loss kept (the papers early-stop on validation).
/// </summary>
public static class ListTrainer
{
    private const int MaxValidationLists = 1000;

    /// <summary>
    /// The logged lists as requests over the shown items with their click labels and shown positions: in shown order, or
    /// with <paramref name="initialOrder"/> in the order the items hold in the request's candidates (the initial list).
    /// </summary>
    public static List<TrainingList> Lists(IReadOnlyList<LoggedList> logs, int max, bool initialOrder)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var take = max > 0 ? Math.Min(max, logs.Count) : logs.Count;
        var lists = new List<TrainingList>(take);
        for (var k = 0; k < take; k++)
        {
            var log = logs[k];
            var source = log.Request;
            var shown = Enumerable.Range(0, log.Exposed.Length).ToArray();
            if (initialOrder)
            {
                Array.Sort(shown, (a, b) => log.Exposed[a].CompareTo(log.Exposed[b]));
            }

            var request = new RerankRequest
            {
                RequestId = source.RequestId,
                UserId = source.UserId,
                UserCategorical = source.UserCategorical,
                UserDense = source.UserDense,
                ContextCategorical = source.ContextCategorical,
                ContextDense = source.ContextDense,
                History = source.History,
                Candidates = [.. shown.Select(t => source.Candidates[log.Exposed[t]])],
                SlateSize = log.Exposed.Length,
            };
            lists.Add(new TrainingList(request, [.. shown.Select(t => t < log.Clicks.Length ? log.Clicks[t] : 0f)], shown));
        }

        return lists;
    }

    /// <summary>Trains <paramref name="model"/> with its own loss; returns the loss curve.</summary>
    public static TrainResult Run(IListLearner model, TrainingData data, TrainingContext context, ListTrainingOptions options, PhaseTimer timer, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var train = Lists(data.Train, options.MaxTrainLists, options.InitialOrder);
        if (train.Count == 0)
        {
            throw new InvalidOperationException($"{name}: no training lists to learn from.");
        }

        var validation = Lists(data.Validation, MaxValidationLists, options.InitialOrder);
        var bias = options.PositionBias ? new ExposureBias(train.Concat(validation).Max(l => l.Shown.Length)) : null;
        var parameters = bias is null ? model.Parameters() : [.. model.Parameters(), .. bias.Parameters()];
        var settings = options.Training.Loop(clipNorm: 5f, keepBest: true, NonFinitePolicy.SkipStep);
        var curve = TrainingLoop.Run(
            parameters,
            train.Count,
            settings,
            new Rng(context.Seed ^ 0x9E3779B97F4A7C15UL),
            slice => Loss(model, bias, data.Schema, [.. slice.Select(i => train[i])]),
            () => validation.Count == 0 ? null : Evaluate(model, bias, data.Schema, validation, options.Training.BatchSize),
            MinibatchLoop.Hooks(context, timer, name, () => model.Train()),
            kept: model.Parameters());

        // Early stopping as in the papers: the loop kept the weights of the epoch with the lowest validation loss (of the
        // model; the exposure offsets train along but are not restored).
        model.Train(false);
        return new TrainResult([.. curve.Select(e => new EpochLoss(e.Epoch, e.TrainLoss, e.ValidationLoss))], started.Elapsed);
    }

    /// <summary>Mean loss over <paramref name="lists"/> in evaluation mode (with the exposure offsets when given).</summary>
    public static double Evaluate(IListLearner model, ExposureBias? bias, FeatureSchema schema, List<TrainingList> lists, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(lists);
        model.Train(false);
        double total = 0;
        var batches = 0;
        for (var s = 0; s < lists.Count; s += batchSize)
        {
            using (TensorScope.Inference())
            {
                total += Loss(model, bias, schema, lists.GetRange(s, Math.Min(batchSize, lists.Count - s))).ToScalar();
            }

            batches++;
        }

        model.Train();
        return total / Math.Max(1, batches);
    }

    private static Tensor Loss(IListLearner model, ExposureBias? bias, FeatureSchema schema, List<TrainingList> chunk)
    {
        var batch = RerankBatch.Create(schema, [.. chunk.Select(c => c.Request)]);
        var n = batch.MaxCandidates;
        var labels = new float[batch.Count * n];
        var shown = new int[batch.Count * n];
        Array.Fill(shown, -1);
        for (var r = 0; r < chunk.Count; r++)
        {
            var count = Math.Min(chunk[r].Labels.Length, batch.CandidateCounts[r]);
            chunk[r].Labels.AsSpan(0, count).CopyTo(labels.AsSpan(r * n));
            chunk[r].Shown.AsSpan(0, count).CopyTo(shown.AsSpan(r * n));
        }

        var x = model.Features.Encode(batch, model.HistoryCap);
        return model.TrainingLoss(x, labels, bias?.Offsets(shown, batch.Count, n));
    }
}
