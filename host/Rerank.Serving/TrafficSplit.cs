using System.Collections.Immutable;
using Rerank.Abstractions;

namespace Rerank.Serving;

/// <summary>One arm of a traffic split: the pipeline it routes to, its weight, and the name responses carry.</summary>
/// <param name="Name">The arm's name (default: the pipeline's name).</param>
/// <param name="Pipeline">The pipeline it routes to.</param>
/// <param name="Weight">Its share of traffic, relative to the other arms.</param>
internal sealed record SplitArm(string Name, string Pipeline, double Weight);

/// <summary>
/// A pipeline alias that routes each request to one arm by weight, sticky per user: the same user id always lands on the
/// same arm for a given split (hash of salt and user id; the request id when the user id is empty).
/// </summary>
internal sealed class TrafficSplit
{
    private readonly double[] _cumulative;

    public TrafficSplit(string name, string salt, ImmutableArray<SplitArm> arms, SourceLocation location)
    {
        Name = name;
        Salt = salt;
        Arms = arms;
        Location = location;
        _cumulative = new double[arms.Length];
        var total = 0d;
        for (var i = 0; i < arms.Length; i++)
        {
            total += arms[i].Weight;
            _cumulative[i] = total;
        }

        TotalWeight = total;
    }

    public string Name { get; }

    public string Salt { get; }

    public ImmutableArray<SplitArm> Arms { get; }

    public SourceLocation Location { get; }

    public double TotalWeight { get; }

    /// <summary>The arm for a user: a uniform draw in [0, total weight) from StableHash(salt, user), mapped through the cumulative weights.</summary>
    public SplitArm Route(string userId)
    {
        var h = StableHash.Mix(StableHash.Of(Salt), StableHash.Of(userId));
        var u = (h >> 11) * (1.0 / (1UL << 53)) * TotalWeight;
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (u < _cumulative[i])
            {
                return Arms[i];
            }
        }

        return Arms[^1];
    }
}
