using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>One extension a decoder keeps: row <see cref="Row"/> of the frontier plus candidate <see cref="Candidate"/>.</summary>
/// <param name="Row">The row extended (its index becomes the new row's <see cref="StepRows.Parent"/>).</param>
/// <param name="Candidate">The candidate appended.</param>
/// <param name="Gain">The scorer's step gain of the candidate (before any diversity adjustment).</param>
/// <param name="Total">The decoder's running score of the extended prefix (after adjustment).</param>
internal readonly record struct Pick(int Row, int Candidate, float Gain, double Total);

/// <summary>
/// The partial slates a decoder holds at step t: one row per prefix, with the scorer's running value (<see cref="Value"/>:
/// the sum of gains, which for PrefixValue scorers telescopes to the prefix's value), the decoder's running score
/// (<see cref="Total"/>: gains after in-decoding diversity adjustment) and each position's gain.
/// </summary>
internal sealed class Frontier
{
    private Frontier(int step, int[] request, int[] parent, int[] prefixes, double[] value, double[] total, float[] gains)
    {
        Rows = new StepRows(step, request, parent, prefixes);
        Value = value;
        Total = total;
        Gains = gains;
    }

    /// <summary>The rows, as the scorer sees them.</summary>
    public StepRows Rows { get; }

    /// <summary>Prefix length t.</summary>
    public int Step => Rows.Step;

    /// <summary>Number of rows.</summary>
    public int Count => Rows.Count;

    /// <summary>The scorer's running value of each row (sum of raw gains).</summary>
    public double[] Value { get; }

    /// <summary>The decoder's running score of each row (sum of adjusted gains).</summary>
    public double[] Total { get; }

    /// <summary>Per-position raw gains, row-major <c>[rows, step]</c>.</summary>
    public float[] Gains { get; }

    /// <summary>Empty prefixes at step 0, one row per entry of <paramref name="requests"/> (a request may appear several times).</summary>
    public static Frontier Start(IReadOnlyList<int> requests)
    {
        var count = requests.Count;
        var parents = new int[count];
        Array.Fill(parents, -1);
        return new Frontier(0, [.. requests], parents, [], new double[count], new double[count], []);
    }

    /// <summary>
    /// Applies <paramref name="picks"/>: each becomes a row of the next step, or — when it completes its request's slate of
    /// <paramref name="lengths"/>[request] items — a finished slate handed to <paramref name="finished"/>. Returns the next
    /// frontier (possibly empty).
    /// </summary>
    public Frontier Extend(IReadOnlyList<Pick> picks, int[] lengths, Action<int, Slate> finished)
    {
        var t = Step;
        var request = new List<int>(picks.Count);
        var parent = new List<int>(picks.Count);
        var prefixes = new List<int>(picks.Count * (t + 1));
        var value = new List<double>(picks.Count);
        var total = new List<double>(picks.Count);
        var gains = new List<float>(picks.Count * (t + 1));
        foreach (var pick in picks)
        {
            var b = Rows.Request[pick.Row];
            var prefix = Rows.Prefix(pick.Row);
            var prefixGains = Gains.AsSpan(pick.Row * t, t);
            if (t + 1 >= lengths[b])
            {
                finished(b, new Slate([.. prefix, pick.Candidate], pick.Total, [.. prefixGains, pick.Gain]));
                continue;
            }

            request.Add(b);
            parent.Add(pick.Row);
            prefixes.AddRange(prefix);
            prefixes.Add(pick.Candidate);
            value.Add(Value[pick.Row] + pick.Gain);
            total.Add(pick.Total);
            gains.AddRange(prefixGains);
            gains.Add(pick.Gain);
        }

        return new Frontier(t + 1, [.. request], [.. parent], [.. prefixes], [.. value], [.. total], [.. gains]);
    }
}
