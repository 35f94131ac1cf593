using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.DeGRe.Tests;

/// <summary>Tiny DeGRe components on the conformance suite's synthetic data.</summary>
internal static class Fixtures
{
    public static readonly SyntheticData Data = new();

    public static EvaluatorOptions TinyEvaluator(int epochs = 2) => new() { Layers = 1, ModelWidth = 16, Heads = 2, Training = { Epochs = epochs, BatchSize = 16 } };

    public static GeneratorOptions TinyGenerator(int beam = 2, int epochs = 2) => new() { Layers = 1, ModelWidth = 16, Heads = 2, Training = { Epochs = epochs, BatchSize = 8 }, BeamWidth = beam, MineChunk = 4 };

    public static ComponentContext Context(string name, ulong seed = 5) => new("degre", "1.0.0", name, Data.Schema, seed);

    public static LookaheadEvaluator TrainedEvaluator(TrainingData data, int epochs = 2)
    {
        var evaluator = new LookaheadEvaluator(TinyEvaluator(epochs), Context("evaluator"));
        evaluator.Train(data, new TrainingContext(3));
        return evaluator;
    }

    public static LoggedList Logged(RerankRequest request, int[] exposed, float[] clicks) =>
        new(request, exposed, clicks, new float[clicks.Length]);

    /// <summary>
    /// The synthetic data with two context fields (categorical, dense) and a user dense field, derived from each request's
    /// position: the schema, 120 training lists and 200 requests (seed 77).
    /// </summary>
    public static (FeatureSchema Schema, TrainingData Training, IReadOnlyList<RerankRequest> Requests) WithContext()
    {
        var schema = new FeatureSchema(
            [.. Data.Schema.Fields, new FeatureField("hour", FeatureKind.Categorical, FeatureSide.Context, 24), new FeatureField("load", FeatureKind.Dense, FeatureSide.Context, 2), new FeatureField("activity", FeatureKind.Dense, FeatureSide.User, 1)],
            Data.Schema.PriorNames,
            Data.Schema.EmbeddingWidth);
        static RerankRequest Extend(RerankRequest r, int i) => new()
        {
            RequestId = r.RequestId,
            UserId = r.UserId,
            UserCategorical = r.UserCategorical,
            UserDense = [(i % 11) / 11f],
            ContextCategorical = [(i * 5) % 24],
            ContextDense = [(i % 7) / 7f, (i % 3) - 1f],
            History = r.History,
            Candidates = r.Candidates,
            SlateSize = r.SlateSize,
            GroundTruth = r.GroundTruth,
        };
        var training = Data.Training(120, 5);
        LoggedList[] Lists(IEnumerable<LoggedList> lists) => [.. lists.Select((l, i) => l with { Request = Extend(l.Request, i) })];
        return (schema, new TrainingData(schema, Lists(training.Train), Lists(training.Validation)), [.. Data.Requests(200, 77).Select(Extend)]);
    }
}
