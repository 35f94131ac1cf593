using Rerank.Abstractions;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Pear;

/// <summary>
/// PEAR as a one-stage scorer (kind <see cref="StepScoreKind.ItemScore"/>): the initial list is scored once per batch by the
/// item head (eq. 4) and the decoder (greedy) sorts by it.
/// </summary>
internal sealed class PearScorer : IStepScorer, ITrainable, ITimedComponent, IOnnxExportable
{
    private readonly PearWeights _weights;

    public PearScorer(PearOptions options, ComponentContext context)
    {
        Name = context.ComponentName;
        _weights = new PearWeights(context, options);
    }

    public string Name { get; }

    public StepScoreKind Kind => StepScoreKind.ItemScore;

    public bool IsTrained => _weights.IsTrained;

    public IReadOnlyList<PhaseTiming> Timings => _weights.Timer.Timings;

    /// <summary>Every configuration of the item head exports (<see cref="PearWeights.ExportOnnx"/>).</summary>
    public bool CanExportOnnx => true;

    internal PearWeights Weights => _weights;

    public void ResetTimings() => _weights.Timer.Reset();

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new StaticScores(_weights.Predict(batch).Items, batch.MaxCandidates);
    }

    public OnnxExport ExportOnnx(OnnxExportSettings settings) => _weights.ExportOnnx(settings);

    public TrainResult Train(TrainingData data, TrainingContext context) => _weights.Train(data, context);

    public void Save(string path) => _weights.Save(path);

    public void Load(string path) => _weights.Load(path);
}
