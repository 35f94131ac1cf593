using Rerank.Abstractions;

namespace Rerank.Browser.Tests.Fakes;

/// <summary>A plugin of a given version whose generator orders candidates by price, cheapest first (ties by position).</summary>
public sealed class CheapestPlugin(string version) : IRerankPlugin
{
    public string Id => "demo";

    public string Version => version;

    public void Register(IPluginRegistry registry) =>
        registry.AddGenerator<NoOptions>("cheapest", (_, _) => new CheapestGenerator(), "Candidates by price, cheapest first.");

    public sealed class NoOptions
    {
    }

    private sealed class CheapestGenerator : IGenerator
    {
        public string Name => "cheapest";

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
        {
            var result = new IReadOnlyList<Slate>[batch.Count];
            for (var b = 0; b < batch.Count; b++)
            {
                var candidates = batch.Requests[b].Candidates;
                var order = Enumerable.Range(0, candidates.Count).OrderBy(i => candidates[i].Price).ThenBy(i => i).ToArray();
                result[b] = [new Slate(order, 0)];
            }

            return result;
        }
    }
}
