using System.Globalization;
using Rerank.Abstractions;

namespace Rerank.Conformance;

/// <summary>What a run produced for one slate: its candidate indices and its score (or, for evaluators, its value).</summary>
/// <param name="Indices">Candidate indices.</param>
/// <param name="Score">Score or value.</param>
public sealed record SlateRecord(int[] Indices, double Score)
{
    /// <summary>The record of a slate.</summary>
    public static SlateRecord Of(Slate slate)
    {
        ArgumentNullException.ThrowIfNull(slate);
        return new SlateRecord(slate.Indices, slate.Score);
    }

    /// <summary>Records of every slate of every request.</summary>
    public static IReadOnlyList<SlateRecord>[] Of(IReadOnlyList<Slate>[] slates)
    {
        ArgumentNullException.ThrowIfNull(slates);
        return [.. slates.Select(list => (IReadOnlyList<SlateRecord>)[.. list.Select(Of)])];
    }

    /// <summary>Exact text (indices and the score's round-trip form).</summary>
    public override string ToString() => $"[{string.Join(",", Indices)}] {Score.ToString("R", CultureInfo.InvariantCulture)}";

    /// <summary>Same indices and a score equal within <paramref name="tolerance"/> (relative to the larger magnitude, at least 1).</summary>
    public bool Matches(SlateRecord other, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(other);
        var scale = Math.Max(1, Math.Max(Math.Abs(Score), Math.Abs(other.Score)));
        var scoresMatch = Score.Equals(other.Score) || Math.Abs(Score - other.Score) <= tolerance * scale;
        return Indices.SequenceEqual(other.Indices) && scoresMatch;
    }
}
