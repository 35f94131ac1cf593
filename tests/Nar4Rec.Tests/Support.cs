using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Nar4Rec.Tests;

/// <summary>Small models, synthetic data and hand-made scorers for behaviour tests.</summary>
internal static class Support
{
    public static readonly SyntheticData Data = new();

    public static GeneratorOptions GeneratorOptions(int epochs = 1) => new()
    {
        Dimension = 8,
        Heads = 2,
        FeedForward = 16,
        FieldWidth = 4,
        Training = { Epochs = epochs, BatchSize = 16, LearningRate = 3e-3 },
    };

    public static EvaluatorOptions EvaluatorOptions(int epochs = 1) => new()
    {
        Dimension = 8,
        Heads = 2,
        FeedForward = 16,
        FieldWidth = 4,
        Training = { Epochs = epochs, BatchSize = 16, LearningRate = 3e-3 },
    };

    public static ComponentContext Context(string name, FeatureSchema? schema = null) =>
        new("nar4rec", "1.0.0", name, schema ?? Data.Schema, 7);

    public static RerankBatch Batch(int count = 5, ulong seed = 3) => RerankBatch.Create(Data.Schema, Data.Requests(count, seed));

    /// <summary>One request of <paramref name="embeddings"/>.Length candidates with the given content embeddings and slate size.</summary>
    public static RerankBatch Hand(float[][] embeddings, int slateSize)
    {
        var schema = new FeatureSchema([], ["ctr"], embeddings[0].Length);
        var candidates = embeddings.Select((e, i) => new Item { Id = $"c{i}", Priors = [0.5f], Embedding = e }).ToList();
        return RerankBatch.Create(schema, [new RerankRequest { RequestId = "hand", Candidates = candidates, SlateSize = slateSize }]);
    }
}

/// <summary>A scorer with fixed log-probabilities per position (ignores the prefix), like a non-autoregressive model.</summary>
internal sealed class TableScorer(float[][] probabilities) : IStepScorer
{
    public string Name => "table";

    public StepScoreKind Kind => StepScoreKind.LogProbability;

    public IStepSession Begin(RerankBatch batch, RerankContext context) => new Session(probabilities);

    private sealed class Session(float[][] p) : IStepSession
    {
        public void Score(StepRows rows, Span<float> scores)
        {
            var n = p[0].Length;
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < n; c++)
                {
                    scores[(r * n) + c] = MathF.Log(p[rows.Step][c]);
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
