using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Checkpoints;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Pear;

/// <summary>
/// The trained state shared by PEAR's scorer and evaluator: builds the model for a schema, trains it, saves and loads it
/// through the engine's checkpoint contract, and runs it in inference.
/// </summary>
internal sealed class PearWeights
{
    private readonly ComponentContext context;
    private readonly PearOptions options;
    private PearModel? model;
    private FeatureSchema? schema;

    public PearWeights(ComponentContext context, PearOptions options)
    {
        this.context = context;
        this.options = options;
    }

    public bool IsTrained { get; private set; }

    public PhaseTimer Timer { get; } = new();

    /// <summary>The model (after training or loading).</summary>
    public PearModel? Model => model;

    /// <summary>Item click probabilities <c>[B·N]</c> and list probabilities <c>[B]</c> of a batch.</summary>
    public (float[] Items, float[] Lists) Predict(RerankBatch batch)
    {
        var m = Ready(batch.Schema);
        using (Timer.Measure("encode candidates"))
        using (TensorScope.Inference())
        {
            m.Eval();
            var output = m.Forward(m.Features.Encode(batch, m.HistoryCap));
            return (Sigmoid(output.ItemLogits.ToArray()), Sigmoid(output.ListLogits.ToArray()));
        }
    }

    public TrainResult Train(TrainingData data, TrainingContext trainingContext)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trainingContext);
        var result = ListTrainer.Run(Create(data.Schema), data, trainingContext, options.ListTraining(), Timer, context.ComponentName);
        IsTrained = true;
        return result;
    }

    public void Save(string path)
    {
        if (model is null || schema is null)
        {
            throw new InvalidOperationException($"{context.ComponentName}: nothing to save; train or load the model first.");
        }

        Checkpoint.Save(model, path, Identity(schema));
    }

    public void Load(string path)
    {
        var known = context.Schema ?? schema
            ?? throw new InvalidOperationException($"{context.ComponentName}: cannot load '{path}' without knowing the data's feature schema.");
        var m = new PearModel(known, options, new Rng(context.Seed));
        Checkpoint.Load(m, path, Identity(known));
        m.Eval();
        schema = known;
        model = m;
        IsTrained = true;
    }

    /// <summary>Who the weights belong to: this plugin and component (the scorer and the evaluator keep apart), the options, the data's schema.</summary>
    private CheckpointIdentity Identity(FeatureSchema dataSchema) =>
        new(context.PluginId, context.PluginVersion, context.ComponentName, HyperParameters.From(options), dataSchema.Describe());

    private static float[] Sigmoid(float[] logits)
    {
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = 1f / (1f + MathF.Exp(-logits[i]));
        }

        return logits;
    }

    private PearModel Create(FeatureSchema dataSchema)
    {
        schema = dataSchema;
        model = new PearModel(dataSchema, options, new Rng(context.Seed));
        return model;
    }

    private PearModel Ready(FeatureSchema batchSchema)
    {
        if (model is null || schema is null || !IsTrained)
        {
            throw new InvalidOperationException($"{context.ComponentName}: the model is not trained; train it (rerank run trains it) or give a checkpoint.");
        }

        var diffs = schema.Differences(batchSchema);
        if (diffs.Count > 0)
        {
            throw new InvalidOperationException($"{context.ComponentName}: the batch's schema differs from the model's: {string.Join("; ", diffs)}.");
        }

        return model;
    }
}
