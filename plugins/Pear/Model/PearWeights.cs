using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Pear;

/// <summary>
/// The trained state shared by PEAR's scorer and evaluator: builds the model for a schema, trains it, saves and loads it
/// through the engine's checkpoint contract, and runs it in inference.
/// </summary>
internal sealed class PearWeights
{
    private readonly ComponentContext _context;
    private readonly PearOptions _options;
    private PearModel? _model;
    private FeatureSchema? _schema;

    public PearWeights(ComponentContext context, PearOptions options)
    {
        _context = context;
        _options = options;
    }

    public bool IsTrained { get; private set; }

    public PhaseTimer Timer { get; } = new();

    /// <summary>The model (after training or loading).</summary>
    public PearModel? Model => _model;

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

    /// <summary>
    /// The item head as ONNX for <c>onnx@^1.0/scorer</c>: inputs from the batch fields the plugin feeds (the history ones
    /// when <c>history_length</c> &gt; 0; dynamic batch, list and history axes), output <c>scores</c> [batch, n], the click
    /// probabilities <see cref="Predict"/> gives (sigmoid of eq. 4); metadata as every export.
    /// </summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var name = _context.ComponentName;
        if (settings.Kind != "scorer")
        {
            throw new InvalidOperationException($"{name}: PEAR's item head exports for onnx@^1.0/scorer, not {settings.Kind}");
        }

        if (_model is null || _schema is null || !IsTrained)
        {
            throw new InvalidOperationException($"{name}: the model is not trained; train or load it before exporting.");
        }

        var graph = new OnnxGraph(name);
        var encoded = _model.Features.ToOnnx(graph, _model.HistoryCap);
        graph.Output(graph.Sigmoid(_model.ToOnnx(graph, encoded)), "scores", OnnxType.Float, "batch", "n");
        return new OnnxExport(graph, encoded.Inputs, "scores", "item_scores", OnnxExport.MetadataFor(Identity(_schema), "scorer", settings));
    }

    public TrainResult Train(TrainingData data, TrainingContext trainingContext)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trainingContext);
        var result = ListTrainer.Run(Create(data.Schema), data, trainingContext, _options.ListTraining(), Timer, _context.ComponentName);
        IsTrained = true;
        return result;
    }

    public void Save(string path)
    {
        if (_model is null || _schema is null)
        {
            throw new InvalidOperationException($"{_context.ComponentName}: nothing to save; train or load the model first.");
        }

        Checkpoint.Save(_model, path, Identity(_schema));
    }

    public void Load(string path)
    {
        var known = _context.Schema ?? _schema
            ?? throw new InvalidOperationException($"{_context.ComponentName}: cannot load '{path}' without knowing the data's feature schema.");
        var m = new PearModel(known, _options, new Rng(_context.Seed));
        Checkpoint.Load(m, path, Identity(known));
        m.Eval();
        _schema = known;
        _model = m;
        IsTrained = true;
    }

    /// <summary>Who the weights belong to: this plugin and component (the scorer and the evaluator keep apart), the options, the data's schema.</summary>
    private CheckpointIdentity Identity(FeatureSchema dataSchema) =>
        new(_context.PluginId, _context.PluginVersion, _context.ComponentName, HyperParameters.From(_options), dataSchema.Describe());

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
        _schema = dataSchema;
        _model = new PearModel(dataSchema, _options, new Rng(_context.Seed));
        return _model;
    }

    private PearModel Ready(FeatureSchema batchSchema)
    {
        if (_model is null || _schema is null || !IsTrained)
        {
            throw new InvalidOperationException($"{_context.ComponentName}: the model is not trained; train it (rerank run trains it) or give a checkpoint.");
        }

        var diffs = _schema.Differences(batchSchema);
        if (diffs.Count > 0)
        {
            throw new InvalidOperationException($"{_context.ComponentName}: the batch's schema differs from the model's: {string.Join("; ", diffs)}.");
        }

        return _model;
    }
}
