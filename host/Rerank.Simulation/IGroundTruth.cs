using Rerank.Abstractions;

namespace Rerank.Simulation;

/// <summary>
/// Ground truth as evaluation reads it: the exact expected outcome of any list (<see cref="IListUtility"/>) and the exact
/// best list. Data that knows its truth (the simulator) puts it on every test request's
/// <see cref="RerankRequest.GroundTruth"/>; evaluation computes the oracle ratio through this contract alone.
/// </summary>
public interface IGroundTruth : IListUtility
{
    /// <summary>Number of candidates N the truth covers.</summary>
    int Count { get; }

    /// <summary>How many ordered lists of <paramref name="length"/> the exact search may visit: N!/(N−L)!, saturating at <see cref="long.MaxValue"/>.</summary>
    long SearchSize(int length);

    /// <summary>The best list of <paramref name="length"/> candidates (1 ≤ L ≤ N) and its utility.</summary>
    (int[] Slate, double Value) Optimum(int length);
}
