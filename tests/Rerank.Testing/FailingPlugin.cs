using Rerank.Abstractions;

namespace Rerank.Testing;

/// <summary>
/// An in-process plugin whose components fail at run time: <c>boom</c> throws when it generates, <c>untrainable</c>
/// (trainable) throws when it trains, <c>fine</c> returns the candidates in index order.
/// </summary>
public sealed class FailingPlugin : IRerankPlugin
{
    public const string BoomMessage = "boom: the model produced NaN scores";

    public const string TrainMessage = "untrainable: the loss diverged";

    public string Id => "failing";

    public string Version => "1.0.0";

    public void Register(IPluginRegistry registry)
    {
        registry.AddGenerator<NoOptions>("boom", (_, _) => new BoomGenerator(), "throws when it generates");
        registry.AddGenerator<NoOptions>("untrainable", (_, _) => new UntrainableGenerator(), "throws when it trains");
        registry.AddGenerator<NoOptions>("fine", (_, _) => new FineGenerator(), "candidates in index order");
    }

    public sealed class NoOptions
    {
    }

    private static IReadOnlyList<Slate>[] InOrder(RerankBatch batch) =>
        [.. Enumerable.Range(0, batch.Count).Select(b => (IReadOnlyList<Slate>)[new Slate([.. Enumerable.Range(0, batch.CandidateCounts[b])], 0)])];

    private sealed class BoomGenerator : IGenerator
    {
        public string Name => "boom";

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context) => throw new InvalidOperationException(BoomMessage);
    }

    private sealed class FineGenerator : IGenerator
    {
        public string Name => "fine";

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context) => InOrder(batch);
    }

    private sealed class UntrainableGenerator : IGenerator, ITrainable
    {
        public string Name => "untrainable";

        public bool IsTrained => false;

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context) => InOrder(batch);

        public TrainResult Train(TrainingData data, TrainingContext context) => throw new InvalidOperationException(TrainMessage);

        public void Save(string path) => throw new InvalidOperationException("untrainable: nothing to save");

        public void Load(string path) => throw new InvalidOperationException("untrainable: nothing to load");
    }
}
