using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// A trained one-stage model as an <see cref="IStepScorer"/> of kind <see cref="StepScoreKind.ItemScore"/>: the whole list
/// is scored once per batch and every step returns the same item logits, so the greedy decoder sorts by them.
/// </summary>
internal sealed class ListScorer : IStepScorer, ITrainable, ITimedComponent, IOnnxExportable
{
    private readonly ComponentContext _context;
    private readonly ListModelOptions _options;
    private readonly Func<FeatureSchema, Rng, ListModel> _factory;
    private readonly PhaseTimer _timer = new();
    private ListModel? _model;
    private FeatureSchema? _schema;

    public ListScorer(ComponentContext context, ListModelOptions options, Func<FeatureSchema, Rng, ListModel> factory)
    {
        _context = context;
        _options = options;
        _factory = factory;
        Name = context.ComponentName;
    }

    public string Name { get; }

    public StepScoreKind Kind => StepScoreKind.ItemScore;

    public bool IsTrained { get; private set; }

    /// <summary>Every list model writes its ONNX graph (<see cref="ListModel.ToOnnx"/>).</summary>
    public bool CanExportOnnx => true;

    public IReadOnlyList<PhaseTiming> Timings => _timer.Timings;

    /// <summary>The model (after training or loading).</summary>
    internal ListModel? Model => _model;

    public void ResetTimings() => _timer.Reset();

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var values = Score(batch);
        return new StaticScores(values, batch.MaxCandidates);
    }

    /// <summary>Item logits of every candidate, <c>[B·N]</c>.</summary>
    internal float[] Score(RerankBatch batch)
    {
        var m = Ready(batch.Schema);
        using (_timer.Measure("encode candidates"))
        using (TensorScope.Inference())
        {
            m.Eval();
            return m.Forward(m.Features.Encode(batch, m.HistoryCap)).ToArray();
        }
    }

    /// <summary>
    /// The trained model as ONNX for <c>onnx@^1.0/scorer</c>: inputs from the batch fields the plugin feeds (dynamic batch
    /// and list axes), output <c>scores</c> [batch, n], item logits; metadata: plugin, version, component, options, schema, engine.
    /// </summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != "scorer")
        {
            throw new InvalidOperationException($"{Name} is a scorer; it exports for onnx@^1.0/scorer, not {settings.Kind}");
        }

        if (_model is null || _schema is null || !IsTrained)
        {
            throw new InvalidOperationException($"{Name}: the model is not trained; train or load it before exporting.");
        }

        var graph = new OnnxGraph(Name);
        var encoded = _model.Features.ToOnnx(graph, _model.HistoryCap);
        graph.Output(_model.ToOnnx(graph, encoded), "scores", OnnxType.Float, "batch", "n");
        var model = _model.MaxCandidates is { } max
            ? new Dictionary<string, string> { ["rerank.max_candidates"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : null;
        var metadata = OnnxExport.MetadataFor(Identity(_schema), "scorer", settings, model);
        return new OnnxExport(graph, encoded.Inputs, "scores", "item_scores", metadata);
    }

    public TrainResult Train(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var m = Create(data.Schema);
        var result = ListTrainer.Run(m, data, context, _options.ListTraining(), _timer, Name);
        IsTrained = true;
        return result;
    }

    public void Save(string path)
    {
        if (_model is null || _schema is null)
        {
            throw new InvalidOperationException($"{Name}: nothing to save; train or load the model first.");
        }

        Checkpoint.Save(_model, path, Identity(_schema));
    }

    public void Load(string path)
    {
        var known = _context.Schema ?? _schema
            ?? throw new InvalidOperationException($"{Name}: cannot load '{path}' without knowing the data's feature schema.");
        var m = _factory(known, new Rng(_context.Seed));
        Checkpoint.Load(m, path, Identity(known));
        m.Eval();
        _schema = known;
        _model = m;
        IsTrained = true;
    }

    /// <summary>Who the weights belong to: this plugin and component, its options, the data's schema.</summary>
    private CheckpointIdentity Identity(FeatureSchema dataSchema) =>
        new(_context.PluginId, _context.PluginVersion, Name, HyperParameters.From(_options), dataSchema.Describe());

    private ListModel Create(FeatureSchema dataSchema)
    {
        _schema = dataSchema;
        _model = _factory(dataSchema, new Rng(_context.Seed));
        return _model;
    }

    private ListModel Ready(FeatureSchema batchSchema)
    {
        if (_model is null || _schema is null || !IsTrained)
        {
            throw new InvalidOperationException($"{Name}: the model is not trained; train it (rerank run trains it) or give a checkpoint.");
        }

        var diffs = _schema.Differences(batchSchema);
        if (diffs.Count > 0)
        {
            throw new InvalidOperationException($"{Name}: the batch's schema differs from the model's: {string.Join("; ", diffs)}.");
        }

        return _model;
    }
}
