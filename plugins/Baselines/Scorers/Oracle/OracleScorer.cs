using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// The simulator's truth as a step scorer: for each row and each free candidate c, the exact expected utility
/// U(prefix + c) from <see cref="RerankRequest.GroundTruth"/>. Decoded greedily it is "greedy with the exact utility";
/// with a wide beam it approaches the exhaustive optimum. Refuses data without ground truth.
/// </summary>
internal sealed class OracleScorer : IStepScorer
{
    public OracleScorer(string name) => Name = name;

    public string Name { get; }

    public StepScoreKind Kind => StepScoreKind.PrefixValue;

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new Session(batch, GroundTruthOf.All(batch, Name));
    }

    private sealed class Session(RerankBatch batch, IListUtility[] truths) : IStepSession
    {
        public void Score(StepRows rows, Span<float> scores)
        {
            ArgumentNullException.ThrowIfNull(rows);
            var width = batch.MaxCandidates;
            var list = new int[rows.Step + 1];
            Span<bool> free = width <= 512 ? stackalloc bool[width] : new bool[width];
            for (var r = 0; r < rows.Count; r++)
            {
                var n = RowMask.Fill(batch, rows, r, free);
                var row = scores.Slice(r * width, width);
                row.Fill(float.NegativeInfinity);
                rows.Prefix(r).CopyTo(list);
                var truth = truths[rows.Request[r]];
                for (var c = 0; c < n; c++)
                {
                    if (free[c])
                    {
                        list[rows.Step] = c;
                        row[c] = (float)truth.Utility(list);
                    }
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
