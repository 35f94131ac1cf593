using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.Nn;
using Rerank.Engine.Training;

namespace Company.RerankPlugin;

/// <summary>Options of <c>linear</c>: the training settings every trainable component shares, written at this level in YAML.</summary>
public sealed class LinearScorerOptions
{
    /// <summary><c>epochs</c>, <c>batch_size</c>, <c>learning_rate</c>, <c>weight_decay</c>, <c>seed</c> (ranges: see <see cref="TrainingOptions"/>).</summary>
    [InlineParams]
    public TrainingOptions Training { get; set; } = new() { Epochs = 10, BatchSize = 64, LearningRate = 0.05 };
}

/// <summary>
/// A trainable step scorer: a logistic model of a click given the ranking stage's priors of the item
/// (<c>logit = w·priors + b</c>), trained on logged lists with the engine's training loop and saved through the engine's
/// checkpoint contract. It scores every candidate once per batch and returns the same item scores at every step
/// (<see cref="StepScoreKind.ItemScore"/>), so a greedy decoder sorts by them and a diversifier can reorder them.
/// </summary>
internal sealed class LinearScorer(LinearScorerOptions options, ComponentContext context) : IStepScorer, ITrainable
{
    private Linear? _model;
    private FeatureSchema? _schema;

    public string Name => context.ComponentName;

    public StepScoreKind Kind => StepScoreKind.ItemScore;

    public bool IsTrained => _model is not null;

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var model = _model ?? throw new InvalidOperationException($"{Name}: the model is not trained; train it (rerank run trains it) or give a checkpoint");
        if (batch.PriorCount != model.InFeatures)
        {
            throw new InvalidOperationException($"{Name}: the batch has {batch.PriorCount} priors per item, the model was trained on {model.InFeatures}");
        }

        using (TensorScope.Inference())
        {
            var logits = model.Forward(Tensor.FromArray(batch.Priors, new TensorShape(batch.Count * batch.MaxCandidates, batch.PriorCount)));
            return new ItemScores(logits.ToArray(), batch.MaxCandidates);
        }
    }

    public TrainResult Train(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var started = DateTime.UtcNow;
        var width = data.Schema.PriorNames.Length;
        var (x, y) = Examples(data.Train, width);
        var (validationX, validationY) = Examples(data.Validation, width);
        var seed = options.Training.Seed ?? context.Seed;
        var model = new Linear(width, 1, new Rng(seed));
        var curve = TrainingLoop.Run(
            model.Parameters(),
            y.Length,
            options.Training.Loop(),
            new Rng(seed + 1),
            slice => Loss(model, x, y, width, slice),
            () => validationY.Length == 0 ? null : Validate(model, validationX, validationY, width),
            new TrainingHooks
            {
                Name = Name,
                Cancellation = context.Cancellation,
                StepDone = (epoch, epochs, step, steps, loss) => context.Progress?.Report(new TrainProgress(Name, epoch, epochs, step, steps, loss)),
            });
        _model = model;
        _schema = data.Schema;
        return new TrainResult([.. curve.Select(e => new EpochLoss(e.Epoch, e.TrainLoss, e.ValidationLoss))], DateTime.UtcNow - started);
    }

    public void Save(string path)
    {
        if (_model is null || _schema is null)
        {
            throw new InvalidOperationException($"{Name}: nothing to save; train or load the model first");
        }

        Checkpoint.Save(_model, path, Identity(_schema));
    }

    public void Load(string path)
    {
        var schema = context.Schema ?? _schema
            ?? throw new InvalidOperationException($"{Name}: cannot load '{path}' without the data's feature schema");
        var model = new Linear(schema.PriorNames.Length, 1, new Rng(context.Seed));
        Checkpoint.Load(model, path, Identity(schema));
        _model = model;
        _schema = schema;
    }

    /// <summary>Who the weights belong to: checked on load, one error naming every mismatch.</summary>
    private CheckpointIdentity Identity(FeatureSchema schema) =>
        new(context.PluginId, context.PluginVersion, Name, HyperParameters.From(options), schema.Describe());

    /// <summary>One example per exposed item: its priors and whether it was clicked.</summary>
    private static (float[] X, float[] Y) Examples(IReadOnlyList<LoggedList> lists, int width)
    {
        var x = new List<float>();
        var y = new List<float>();
        foreach (var list in lists)
        {
            for (var k = 0; k < list.Exposed.Length; k++)
            {
                x.AddRange(list.Request.Candidates[list.Exposed[k]].Priors.AsSpan(0, width));
                y.Add(list.Clicks[k] > 0 ? 1f : 0f);
            }
        }

        return ([.. x], [.. y]);
    }

    private static Tensor Loss(Linear model, float[] x, float[] y, int width, ArraySegment<int> rows)
    {
        var features = new float[rows.Count * width];
        var targets = new float[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            x.AsSpan(rows[r] * width, width).CopyTo(features.AsSpan(r * width));
            targets[r] = y[rows[r]];
        }

        var logits = model.Forward(Tensor.FromArray(features, new TensorShape(rows.Count, width)));
        return Ops.BinaryCrossEntropyWithLogits(logits, Tensor.FromArray(targets, new TensorShape(rows.Count, 1)));
    }

    private static double Validate(Linear model, float[] x, float[] y, int width)
    {
        using (TensorScope.Inference())
        {
            var logits = model.Forward(Tensor.FromArray(x, new TensorShape(y.Length, width)));
            return Ops.BinaryCrossEntropyWithLogits(logits, Tensor.FromArray(y, new TensorShape(y.Length, 1))).ToScalar();
        }
    }

    /// <summary>The same item scores at every step: row r of request b gets the logits of b's candidates.</summary>
    private sealed class ItemScores(float[] logits, int width) : IStepSession
    {
        public void Score(StepRows rows, Span<float> scores)
        {
            for (var r = 0; r < rows.Count; r++)
            {
                logits.AsSpan(rows.Request[r] * width, width).CopyTo(scores.Slice(r * width, width));
            }
        }

        public void Dispose()
        {
        }
    }
}
