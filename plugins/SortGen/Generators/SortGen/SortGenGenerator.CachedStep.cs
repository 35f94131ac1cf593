using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

internal sealed partial class SortGenGenerator
{
    /// <summary>
    /// One step on the cached-prefix path: every active request's expansions [S, i] (one per queue head) are scored at the new
    /// position only, against S's cached keys and values; V([S, i]) = V(S) + the increment of i (eq. 1–2); eq. 6 selects.
    /// </summary>
    private void CachedStep(RerankBatch batch, State[] states, int t)
    {
        using var expand = _model.Timer.Measure("decode step");
        foreach (var state in states)
        {
            if (t >= state.SlateSize)
            {
                continue;
            }

            state.CollectHeads(_options.HeadsPerQueue);
            var heads = state.Heads.ToArray();
            var clickE = new float[heads.Length];
            var payE = new float[heads.Length];
            var session = state.Session!;
            session.Expand(heads, clickE, payE);
            var best = (Score: double.NegativeInfinity, Row: -1, Value: 0d, Increment: 0f);
            for (var r = 0; r < heads.Length; r++)
            {
                var increment = _weights.Increment(clickE[r] - session.Click, payE[r] - session.Pay, _model.Price(batch, state.Request, heads[r], _weights.NormalizeGmv));
                var value = state.Value + increment; // V([S, i], C)
                var score = _options.Lambda >= 1
                    ? value
                    : (_options.Lambda * value) - ((1 - _options.Lambda) * state.MaxSimilarity(heads[r], _options.Window)); // eq. 6
                if (score > best.Score)
                {
                    best = (score, r, value, (float)increment);
                }
            }

            session.Commit(best.Row, clickE[best.Row], payE[best.Row]);
            state.Select(heads[best.Row], best.Value, best.Increment);
        }
    }
}
