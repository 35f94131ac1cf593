using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// K uniformly random slates of L distinct candidates per request, seeded per request. The slates of one request are
/// distinct; when there are at most K possible slates (N!/(N−L)!), all of them are returned in random order.
/// </summary>
internal sealed class RandomGenerator : IGenerator
{
    private const string Salt = "baselines/random";

    public RandomGenerator(string name) => Name = name;

    public string Name { get; }

    public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var slates = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var random = context.RandomFor(batch.Requests[b], Salt);
            var n = batch.CandidateCounts[b];
            var length = Math.Min(batch.SlateSizes[b], n);
            slates[b] = Permutations.Count(n, length, count + 1) <= count
                ? [.. Permutations.All(n, length).OrderBy(_ => random.Next()).Select(p => new Slate(p, 0))]
                : Distinct(random, n, length, count);
        }

        return slates;
    }

    private static List<Slate> Distinct(Random random, int n, int length, int count)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var slates = new List<Slate>(count);
        var pool = new int[n];
        while (slates.Count < count)
        {
            for (var i = 0; i < n; i++)
            {
                pool[i] = i;
            }

            // Partial Fisher–Yates: the first `length` entries are a uniform L-permutation.
            for (var k = 0; k < length; k++)
            {
                var j = random.Next(k, n);
                (pool[k], pool[j]) = (pool[j], pool[k]);
            }

            var indices = pool[..length];
            if (seen.Add(string.Join(',', indices)))
            {
                slates.Add(new Slate(indices, 0));
            }
        }

        return slates;
    }
}
