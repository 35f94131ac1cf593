using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>
/// Where the conformance suites get requests and logged lists. <see cref="SyntheticData"/> is the default; a suite can
/// override <c>Data</c> with another source (e.g. the simulator) as long as it is seeded and carries ground truth.
/// </summary>
public interface IConformanceData
{
    /// <summary>The schema every request follows.</summary>
    FeatureSchema Schema { get; }

    /// <summary><paramref name="count"/> valid requests with ground truth; the same seed gives the same requests.</summary>
    IReadOnlyList<RerankRequest> Requests(int count, ulong seed);

    /// <summary>Logged lists (exposures with sampled clicks and conversions) for brief training runs.</summary>
    TrainingData Training(int lists, ulong seed);
}
