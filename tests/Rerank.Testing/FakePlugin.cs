using Rerank.Abstractions;

namespace Rerank.Testing;

/// <summary>An in-process plugin for host tests: a generator returning candidates in index order (optionally reversed).</summary>
public sealed class FakePlugin : IRerankPlugin
{
    public string Id => "fake";

    public string Version => "1.2.3";

    public void Register(IPluginRegistry registry) =>
        registry.AddGenerator<OrderOptions>("order", (o, _) => new OrderGenerator(o), "Candidates in index order, or reversed.");

    public sealed class OrderOptions : IValidatableOptions
    {
        public bool Reverse { get; set; }

        public int Offset { get; set; }

        public IEnumerable<string> Validate()
        {
            if (Offset < 0)
            {
                yield return $"offset must be 0 or more, got {Offset}";
            }
        }
    }

    private sealed class OrderGenerator(OrderOptions options) : IGenerator
    {
        public string Name => "order";

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
        {
            var result = new IReadOnlyList<Slate>[batch.Count];
            for (var b = 0; b < batch.Count; b++)
            {
                var n = batch.CandidateCounts[b];
                var order = Enumerable.Range(0, n).Select(i => (i + options.Offset) % n).ToArray();
                if (options.Reverse)
                {
                    Array.Reverse(order);
                }

                result[b] = [new Slate(order, 0)];
            }

            return result;
        }
    }
}
