using System.Globalization;
using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>
/// A stateful scorer, like an autoregressive model with a KV cache: each session keeps every row's prefix and rebuilds it at
/// the next step from <see cref="StepRows.Parent"/> plus the newly appended item, scoring from that state rather than from
/// <see cref="StepRows.Prefixes"/>. A decoder that passes wrong parents (or skips steps) gets an
/// <see cref="InvalidOperationException"/> naming the row. Counts <see cref="IStepSession.Score"/> calls.
/// </summary>
public sealed class ParentCheckingScorer : ConformanceScorer
{
    private int _calls;

    /// <summary>Creates the scorer (LogProbability kind unless told otherwise).</summary>
    public ParentCheckingScorer(StepScoreKind kind = StepScoreKind.LogProbability)
        : base(kind)
    {
    }

    /// <summary>Number of <see cref="IStepSession.Score"/> calls over all sessions.</summary>
    public int ScoreCalls => Volatile.Read(ref _calls);

    /// <inheritdoc />
    public override IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new Session(this, batch);
    }

    private sealed class Session(ParentCheckingScorer scorer, RerankBatch batch) : IStepSession
    {
        private int[][] _state = [];
        private int[] _requests = [];
        private int _step = -1;

        public void Score(StepRows rows, Span<float> scores)
        {
            Interlocked.Increment(ref scorer._calls);
            if (rows.Step != 0 && rows.Step != _step + 1)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"decoder jumped from step {_step} to step {rows.Step} within one session"));
            }

            var next = new int[rows.Count][];
            for (var r = 0; r < rows.Count; r++)
            {
                next[r] = rows.Step == 0 ? [] : Rebuild(rows, r);
                scorer.ScoreRow(batch, rows.Request[r], next[r], scores.Slice(r * batch.MaxCandidates, batch.MaxCandidates));
            }

            _state = next;
            _requests = [.. rows.Request];
            _step = rows.Step;
        }

        public void Dispose()
        {
        }

        private int[] Rebuild(StepRows rows, int r)
        {
            var parent = rows.Parent[r];
            var prefix = rows.Prefix(r);
            if (parent < 0 || parent >= _state.Length)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"row {r} at step {rows.Step} names parent {parent}; the previous step had {_state.Length} rows"));
            }

            if (_requests[parent] != rows.Request[r])
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"row {r} at step {rows.Step} is of request {rows.Request[r]} but its parent {parent} was of request {_requests[parent]}"));
            }

            int[] rebuilt = [.. _state[parent], prefix[^1]];
            if (!prefix.SequenceEqual(rebuilt))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"row {r} at step {rows.Step} has prefix [{string.Join(",", prefix.ToArray())}] but its parent {parent} had [{string.Join(",", _state[parent])}]"));
            }

            return rebuilt;
        }
    }
}
