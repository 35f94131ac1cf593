using Rerank.Abstractions;

namespace Rerank.Plugins.Pear;

/// <summary>
/// PEAR's list head as an evaluator: each slate is fed as the initial list, and its value is the CLS token's probability
/// that the list holds a positive (eq. 5); per position, the item head's click probability (eq. 4).
/// </summary>
internal sealed class PearEvaluator : IItemwiseEvaluator, ITrainable, ITimedComponent
{
    private readonly PearWeights _weights;

    public PearEvaluator(PearOptions options, ComponentContext context)
    {
        Name = context.ComponentName;
        _weights = new PearWeights(context, options);
    }

    public string Name { get; }

    public bool IsTrained => _weights.IsTrained;

    public IReadOnlyList<PhaseTiming> Timings => _weights.Timer.Timings;

    public void ResetTimings() => _weights.Timer.Reset();

    public double[][] Evaluate(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var requests = new List<RerankRequest>();
        for (var b = 0; b < batch.Count; b++)
        {
            requests.AddRange(slates[b].Select(s => AsList(batch.Requests[b], s)));
        }

        var lists = requests.Count == 0 ? [] : _weights.Predict(RerankBatch.Create(batch.Schema, requests)).Lists;
        var values = new double[batch.Count][];
        var at = 0;
        for (var b = 0; b < batch.Count; b++)
        {
            values[b] = new double[slates[b].Count];
            for (var k = 0; k < values[b].Length; k++)
            {
                values[b][k] = lists[at++];
            }
        }

        return values;
    }

    public float[][] PredictPositions(RerankBatch batch, IReadOnlyList<Slate> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var listBatch = RerankBatch.Create(batch.Schema, [.. slates.Select((s, b) => AsList(batch.Requests[b], s))]);
        var items = _weights.Predict(listBatch).Items;
        var n = listBatch.MaxCandidates;
        return [.. slates.Select((s, b) => items.AsSpan(b * n, s.Count).ToArray())];
    }

    public TrainResult Train(TrainingData data, TrainingContext context) => _weights.Train(data, context);

    public void Save(string path) => _weights.Save(path);

    public void Load(string path) => _weights.Load(path);

    /// <summary>The request with the slate as its candidate list, in slate order.</summary>
    private static RerankRequest AsList(RerankRequest request, Slate slate) => new()
    {
        RequestId = request.RequestId,
        UserId = request.UserId,
        UserCategorical = request.UserCategorical,
        UserDense = request.UserDense,
        ContextCategorical = request.ContextCategorical,
        ContextDense = request.ContextDense,
        History = request.History,
        Candidates = [.. slate.Indices.Select(i => request.Candidates[i])],
        SlateSize = slate.Count,
    };
}
