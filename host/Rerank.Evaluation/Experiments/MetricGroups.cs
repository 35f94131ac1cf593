using System.Globalization;

namespace Rerank.Evaluation.Experiments;

/// <summary>The extra metric names an experiment's <c>evaluation.metrics</c> may list.</summary>
internal static class MetricGroups
{
    /// <summary>The accepted spellings, for error messages.</summary>
    public const string Known = "outcomes, coverage, ndcg@K, gauc@K, map@K, recall@K (K a positive integer)";

    private static readonly string[] Ranked = ["ndcg", "gauc", "map", "recall"];

    /// <summary>Splits <c>ndcg@20</c> into (<c>ndcg</c>, 20); plain groups have K = 0.</summary>
    public static bool TryParse(string text, out string name, out int k)
    {
        name = text?.Trim().ToLowerInvariant() ?? "";
        k = 0;
        if (name is "outcomes" or "coverage")
        {
            return true;
        }

        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || !Ranked.Contains(name[..at], StringComparer.Ordinal)
            || !int.TryParse(name[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out k) || k < 1)
        {
            return false;
        }

        name = name[..at];
        return true;
    }
}
