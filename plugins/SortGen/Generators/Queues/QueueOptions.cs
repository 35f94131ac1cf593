using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>How candidates are partitioned into the objective queues (§3.2.1).</summary>
public enum QueueFill
{
    /// <summary>Depth-first: the first queue takes its best l_o items, then the second its best among the rest, and so on.</summary>
    Dfs,

    /// <summary>Breadth-first: the queues take turns, each its best remaining item, until each holds l_o.</summary>
    Bfs,
}

/// <summary>The settings of the objective-specific candidate queues, shared by the generators that read them.</summary>
public interface IQueueOptions
{
    /// <summary>One scoring expression per queue, in priority order (see <c>docs/sortgen.md</c>).</summary>
    string[] Queues { get; }

    /// <summary>DFS or BFS partition.</summary>
    QueueFill Fill { get; }

    /// <summary>Cap of each queue, l_o (0 = the request's L).</summary>
    int QueueLength { get; }
}

/// <summary>Validation shared by the queue options.</summary>
internal static class QueueOptionsValidation
{
    public static IEnumerable<string> Validate(IQueueOptions options)
    {
        if (options.Queues is null || options.Queues.Length == 0)
        {
            yield return "queues must list at least one queue expression (e.g. ctr)";
            yield break;
        }

        foreach (var text in options.Queues)
        {
            if (QueueExpression.TryParse(text, out var error) is null)
            {
                yield return error!;
            }
        }
    }
}
