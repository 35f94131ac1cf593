using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

internal sealed partial class SortGenGenerator
{
    /// <summary>One step for the whole batch: expand every active sub-list with its queue heads, score all in one batch, select.</summary>
    private void Step(RerankBatch batch, State[] states, int t)
    {
        var request = new List<int>();
        var items = new List<int>();
        var owners = new List<(int Request, int Head)>();
        foreach (var state in states)
        {
            if (t >= state.SlateSize)
            {
                continue;
            }

            state.CollectHeads(_options.HeadsPerQueue);
            foreach (var head in state.Heads)
            {
                request.Add(state.Request);
                items.AddRange(state.Prefix);
                items.Add(head);
                owners.Add((state.Request, head));
            }
        }

        if (owners.Count == 0)
        {
            return;
        }

        var rows = new SequenceRows([.. request], [.. items], t + 1);
        var (click, pay) = _model.Predict(batch, rows);
        using var select = _model.Timer.Measure("select");
        var increments = new float[t + 1];
        var best = new (double Score, double Value, int Head, float Increment)[batch.Count];
        Array.Fill(best, (double.NegativeInfinity, 0, -1, 0f));
        for (var r = 0; r < owners.Count; r++)
        {
            var (b, head) = owners[r];
            var value = ListValues.Row(_model, _weights, batch, rows, click, pay, r, increments); // V([S, i], C), eq. 1–2
            var score = _options.Lambda >= 1
                ? value
                : (_options.Lambda * value) - ((1 - _options.Lambda) * states[b].MaxSimilarity(head, _options.Window)); // eq. 6
            if (score > best[b].Score)
            {
                best[b] = (score, value, head, increments[t]);
            }
        }

        foreach (var state in states)
        {
            var (_, value, head, increment) = best[state.Request];
            if (head >= 0)
            {
                state.Select(head, value, increment);
            }
        }
    }
}
