namespace Rerank.Simulation;

internal sealed partial class SimulatedListUtility
{
    /// <inheritdoc />
    public long SearchSize(int length) => ExhaustiveOptimum.PermutationCount(Count, length);

    /// <summary>The best list of <paramref name="length"/> candidates and its utility (exhaustive branch-and-bound).</summary>
    public (int[] Slate, double Value) Optimum(int length) => ExhaustiveOptimum.Search(this, length);

    /// <summary>Greedy selection with the exact utility: at each position the candidate with the largest exact gain.</summary>
    public (int[] Slate, double Value) Greedy(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 0);
        var slate = new int[length];
        var clicks = new double[length];
        var used = new bool[Count];
        for (var t = 0; t < length; t++)
        {
            var best = -1;
            var bestGain = double.NegativeInfinity;
            for (var i = 0; i < Count; i++)
            {
                if (used[i])
                {
                    continue;
                }

                slate[t] = i;
                var gain = Gain(slate.AsSpan(0, t + 1), clicks);
                if (gain > bestGain)
                {
                    bestGain = gain;
                    best = i;
                }
            }

            slate[t] = best;
            used[best] = true;
            clicks[t] = Position(PositiveCosines, slate.AsSpan(0, t + 1), clicks, t).Click;
        }

        return (slate, Utility(slate));
    }

    /// <summary>The first <paramref name="length"/> candidates by descending <paramref name="keys"/> (ties by index).</summary>
    public static int[] TopBy(ReadOnlySpan<double> keys, int length)
    {
        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var copy = keys.ToArray();
        Array.Sort(order, (a, b) => copy[b].CompareTo(copy[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order[..length];
    }

    /// <summary>The weighted value contributed by the last position of <paramref name="prefix"/> (earlier P(click) in <paramref name="clicks"/>).</summary>
    private double Gain(ReadOnlySpan<int> prefix, ReadOnlySpan<double> clicks)
    {
        var t = prefix.Length - 1;
        var (click, conversionGivenClick) = Position(PositiveCosines, prefix, clicks, t);
        return click * (Parameters.ClickWeight + (conversionGivenClick * ConversionValue(prefix[t])));
    }
}
