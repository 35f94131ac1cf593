namespace Rerank.Abstractions;

/// <summary>Ground truth of a simulated request: the exact expected outcome of showing a list.</summary>
public interface IListUtility
{
    /// <summary>Expected utility of showing the candidates at <paramref name="slate"/> (indices into the request's candidates), first position first.</summary>
    double Utility(ReadOnlySpan<int> slate);

    /// <summary>Expected click, conversion and GMV at each position of <paramref name="slate"/>.</summary>
    ListOutcome Outcome(ReadOnlySpan<int> slate);
}

/// <summary>Expected per-position outcomes of one list.</summary>
/// <param name="Click">P(click) at each position.</param>
/// <param name="Conversion">P(conversion) at each position.</param>
/// <param name="Gmv">Expected GMV at each position.</param>
/// <param name="Utility">The weighted utility of the whole list.</param>
public sealed record ListOutcome(double[] Click, double[] Conversion, double[] Gmv, double Utility);
