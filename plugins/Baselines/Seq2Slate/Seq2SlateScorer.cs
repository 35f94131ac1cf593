using Rerank.Abstractions;
using Rerank.Engine;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Seq2Slate as an autoregressive <see cref="IStepScorer"/> (kind LogProbability): <see cref="Begin"/> encodes the
/// candidates once and projects the cross-attention keys/values and the pointer keys once; each <see cref="IStepSession.Score"/>
/// runs one decoder step for all rows, with the self-attention keys/values of earlier steps cached per row (reordered by
/// <see cref="StepRows.Parent"/>), and returns log-softmax pointer scores over the candidates not yet picked.
/// </summary>
internal sealed partial class Seq2SlateScorer : IStepScorer, ITrainable, ITimedComponent
{
    private readonly Seq2SlateOptions _options;
    private readonly ulong _seed;
    private readonly (string Id, string Version) _plugin;
    private readonly PhaseTimer _timer = new();
    private Seq2SlateModel? _model;
    private FeatureSchema? _schema;

    public Seq2SlateScorer(Seq2SlateOptions options, ComponentContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _seed = context.Seed;
        _plugin = (context.PluginId, context.PluginVersion);
        _schema = context.Schema;
        Name = context.ComponentName;
    }

    public string Name { get; }

    public StepScoreKind Kind => StepScoreKind.LogProbability;

    public bool IsTrained { get; private set; }

    public IReadOnlyList<PhaseTiming> Timings => _timer.Timings;

    internal Seq2SlateModel? Model => _model;

    public void ResetTimings() => _timer.Reset();

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_model is null || !IsTrained)
        {
            throw new ComponentException($"{Name}: Seq2Slate is not trained; train it or give it a checkpoint");
        }

        var diffs = _model.Features.Schema.Differences(batch.Schema);
        if (diffs.Count > 0)
        {
            throw new ComponentException($"{Name}: the batch's schema differs from the model's: {string.Join("; ", diffs)}");
        }

        var length = batch.SlateSizes.Length == 0 ? 1 : batch.SlateSizes.Max();
        if (length > _model.MaxPositions)
        {
            throw new ComponentException($"{Name}: slate size {length} exceeds the model's {_model.MaxPositions} positions (raise 'positions')");
        }

        return new Seq2SlateSession(_model, batch, _timer);
    }
}
