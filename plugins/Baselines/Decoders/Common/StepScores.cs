using System.Globalization;
using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Scores every row of a frontier in one <see cref="IStepSession.Score"/> call and turns the scores into step gains:
/// LogProbability and ItemScore scores are gains as they are (summed along the slate); a PrefixValue score V(prefix + c)
/// becomes the marginal gain V(prefix + c) − V(prefix), so that summing gains telescopes to the value of the whole slate.
/// An optional diversifier then adjusts the gains in place (<see cref="IDiversifier.Adjust"/>). Slots a row may not
/// fill (padding, its prefix) end as −∞ in <see cref="Adjusted"/>.
/// </summary>
internal sealed class StepScores
{
    private StepScores(int width, float[] gain, float[] adjusted)
    {
        Width = width;
        Gain = gain;
        Adjusted = adjusted;
    }

    /// <summary>N, the batch's candidate slots per row.</summary>
    public int Width { get; }

    /// <summary>Raw step gains, <c>[rows, N]</c>.</summary>
    public float[] Gain { get; }

    /// <summary>Gains after the diversifier, −∞ where the row may not go, <c>[rows, N]</c>.</summary>
    public float[] Adjusted { get; }

    /// <summary>Scores <paramref name="frontier"/>; a NaN from the scorer is an error naming the scorer, request and step.</summary>
    public static StepScores Compute(RerankBatch batch, IStepScorer scorer, IStepSession session, IDiversifier? diversifier, Frontier frontier)
    {
        var rows = frontier.Rows;
        var width = batch.MaxCandidates;
        var gain = new float[rows.Count * width];
        session.Score(rows, gain);
        var prefixValue = scorer.Kind == StepScoreKind.PrefixValue;
        var free = new bool[width];
        var allowed = new bool[rows.Count * width];
        for (var r = 0; r < rows.Count; r++)
        {
            var n = RowMask.Fill(batch, rows, r, free);
            free.CopyTo(allowed, r * width);
            var row = gain.AsSpan(r * width, width);
            for (var c = 0; c < n; c++)
            {
                if (!free[c])
                {
                    continue;
                }

                if (float.IsNaN(row[c]))
                {
                    throw new ComponentException(string.Create(CultureInfo.InvariantCulture,
                        $"scorer '{scorer.Name}' returned NaN for candidate {c} of request '{batch.Requests[rows.Request[r]].RequestId}' at step {rows.Step}"));
                }

                if (prefixValue)
                {
                    row[c] = (float)(row[c] - frontier.Value[r]);
                }
            }
        }

        var adjusted = (float[])gain.Clone();
        diversifier?.Adjust(batch, rows, adjusted);
        for (var k = 0; k < adjusted.Length; k++)
        {
            if (!allowed[k] || float.IsNaN(adjusted[k]))
            {
                adjusted[k] = float.NegativeInfinity;
            }
        }

        return new StepScores(width, gain, adjusted);
    }

    /// <summary>The pick of candidate <paramref name="c"/> for row <paramref name="r"/>.</summary>
    public Pick PickOf(Frontier frontier, int r, int c) =>
        new(r, c, Gain[(r * Width) + c], frontier.Total[r] + Adjusted[(r * Width) + c]);

    /// <summary>
    /// The allowed candidates of row <paramref name="r"/> in decreasing adjusted gain (ties: lower index first), at most
    /// <paramref name="limit"/> of them (all when <paramref name="limit"/> ≤ 0).
    /// </summary>
    public List<int> Ranked(RerankBatch batch, StepRows rows, int r, int limit)
    {
        var n = batch.CandidateCounts[rows.Request[r]];
        var prefix = rows.Prefix(r);
        var order = new List<int>(n);
        for (var c = 0; c < n; c++)
        {
            if (!prefix.Contains(c))
            {
                order.Add(c);
            }
        }

        var row = Adjusted.AsSpan(r * Width, Width).ToArray();
        order.Sort((x, y) => row[x] != row[y] ? row[y].CompareTo(row[x]) : x.CompareTo(y));
        if (limit > 0 && order.Count > limit)
        {
            order.RemoveRange(limit, order.Count - limit);
        }

        return order;
    }
}
