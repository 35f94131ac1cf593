using Rerank.Abstractions;
using Rerank.Runtime.Randomness;

namespace Rerank.Evaluation.Metrics;

/// <summary>
/// HR@K% (DeGRe eq. 14): per request, the true values of R uniformly random lists (L distinct candidates in random
/// order) are drawn once (seeded per request id) and sorted; a generated list's Rank is the number of random lists
/// with a strictly higher value (binary search), and it is a hit when Rank / R &lt; K / 100.
/// </summary>
public sealed class RandomListBaseline
{
    private readonly double[][] _sorted;
    private readonly Dictionary<string, int> _index;

    private RandomListBaseline(double[][] sorted, IReadOnlyList<RerankRequest> requests, int lists)
    {
        _sorted = sorted;
        Lists = lists;
        _index = new Dictionary<string, int>(requests.Count, StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            _index.TryAdd(requests[i].RequestId, i);
        }
    }

    /// <summary>Random lists per request R.</summary>
    public int Lists { get; }

    /// <summary>Number of requests.</summary>
    public int Count => _sorted.Length;

    /// <summary>
    /// Draws <paramref name="lists"/> random lists of each request's slate size and sorts their true values.
    /// Every request needs a <see cref="RerankRequest.GroundTruth"/>.
    /// </summary>
    public static RandomListBaseline Build(IReadOnlyList<RerankRequest> requests, int lists, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(lists, 1);
        var missing = requests.FirstOrDefault(r => r.GroundTruth is null);
        if (missing is not null)
        {
            throw new InvalidOperationException($"Request '{missing.RequestId}' has no ground truth; HR@K% needs simulator data.");
        }

        var sorted = new double[requests.Count][];
        Parallel.For(0, requests.Count, r =>
        {
            var request = requests[r];
            var truth = request.GroundTruth!;
            var n = request.Candidates.Count;
            var length = Math.Min(request.SlateSize, n);
            var rng = SeededRandom.For(seed, StableHash.Of(request.RequestId));
            var pool = new int[n];
            var values = new double[lists];
            for (var s = 0; s < lists; s++)
            {
                for (var i = 0; i < n; i++)
                {
                    pool[i] = i;
                }

                // Partial Fisher–Yates: the first L entries are a uniform ordered selection.
                for (var k = 0; k < length; k++)
                {
                    var j = k + rng.NextInt(n - k);
                    (pool[k], pool[j]) = (pool[j], pool[k]);
                }

                values[s] = truth.Utility(pool.AsSpan(0, length));
            }

            Array.Sort(values);
            sorted[r] = values;
        });
        return new RandomListBaseline(sorted, requests, lists);
    }

    /// <summary>Position of a request (by id) in the list it was built from.</summary>
    public int IndexOf(string requestId) =>
        _index.TryGetValue(requestId, out var i) ? i : throw new KeyNotFoundException($"Request '{requestId}' is not in the HR@K% baseline.");

    /// <summary>The sorted (ascending) values of the random lists of request <paramref name="request"/>.</summary>
    public ReadOnlySpan<double> Values(int request) => _sorted[request];

    /// <summary>Mean true value of the random lists of a request (the random generator's expected utility).</summary>
    public double Mean(int request)
    {
        var sum = 0.0;
        foreach (var v in _sorted[request])
        {
            sum += v;
        }

        return sum / Lists;
    }

    /// <summary>Rank: how many random lists of the request have a value strictly higher than <paramref name="value"/>.</summary>
    public int Rank(int request, double value)
    {
        var values = _sorted[request];
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (values[mid] > value)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return values.Length - lo;
    }

    /// <summary>Whether <paramref name="value"/> is a hit at K% (eq. 14: Rank / R &lt; K / 100).</summary>
    public bool Hit(int request, double value, double percent) => Rank(request, value) * 100.0 < percent * Lists;

    /// <summary>HR@K% of one value per request (in build order).</summary>
    public double HitRate(ReadOnlySpan<double> values, double percent)
    {
        if (values.Length != Count)
        {
            throw new ArgumentException($"HR@K% needs one value per request ({Count}), got {values.Length}.", nameof(values));
        }

        var hits = 0;
        for (var r = 0; r < values.Length; r++)
        {
            hits += Hit(r, values[r], percent) ? 1 : 0;
        }

        return values.Length == 0 ? double.NaN : (double)hits / values.Length;
    }
}
