using Rerank.Abstractions;

namespace Rerank.Plugins.Common;

/// <summary>A step session that returns the same precomputed item scores (<c>[B·N]</c>) at every step.</summary>
public sealed class StaticScores(float[] values, int width) : IStepSession
{
    /// <inheritdoc />
    public void Score(StepRows rows, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(rows);
        for (var r = 0; r < rows.Count; r++)
        {
            values.AsSpan(rows.Request[r] * width, width).CopyTo(scores.Slice(r * width, width));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
