using Rerank.Abstractions;

namespace Rerank.Simulation.Logs;

/// <summary>What every long-format export writes first: the request, the candidate and where it was shown.</summary>
internal static class LogRows
{
    /// <summary>The leading columns, in the order <see cref="Lead"/> fills them.</summary>
    public static IReadOnlyList<LogColumn> LeadColumns { get; } =
    [
        new("request_id", LogColumnType.Text),
        new("timestamp", LogColumnType.Integer),
        new("user_id", LogColumnType.Text),
        new("item_id", LogColumnType.Text),
        new("position", LogColumnType.Integer),
        new("click", LogColumnType.Integer),
    ];

    /// <summary>For each candidate, its index in the shown slate, or -1 when it was not shown.</summary>
    public static int[] ShownAt(int candidates, int[] shown)
    {
        var at = new int[candidates];
        Array.Fill(at, -1);
        for (var t = 0; t < shown.Length; t++)
        {
            at[shown[t]] = t;
        }

        return at;
    }

    /// <summary>The <see cref="LeadColumns"/> cells of <paramref name="item"/>, shown at index <paramref name="t"/> (-1: not shown).</summary>
    public static LogCell[] Lead(RerankRequest request, long timestamp, Item item, int t, float[] clicks) =>
    [
        LogCell.Of(request.RequestId),
        LogCell.Of(timestamp),
        LogCell.Of(request.UserId),
        LogCell.Of(item.Id),
        t >= 0 ? LogCell.Of((long)(t + 1)) : LogCell.Null,
        t >= 0 ? LogCell.Of((long)clicks[t]) : LogCell.Null,
    ];
}
