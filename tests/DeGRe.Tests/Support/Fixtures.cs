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
}
