using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// The objective-specific ordered queues of one request (§3.2.1): each queue ranks candidates by its expression, holds at
/// most l_o items, and the queues partition the candidates they hold (an item sits in one queue only), filled DFS or BFS.
/// </summary>
internal sealed class CandidateQueues
{
    private CandidateQueues(int[][] items) => Items = items;

    /// <summary>Candidate indices of each queue, best first.</summary>
    public int[][] Items { get; }

    public static QueueExpression[] Parse(IQueueOptions options) =>
        [.. options.Queues.Select(q => QueueExpression.TryParse(q, out _)!)];

    public static CandidateQueues Build(RerankBatch batch, int b, QueueExpression[] expressions, QueueFill fill, int cap)
    {
        var n = batch.CandidateCounts[b];
        var ranked = new int[expressions.Length][];
        for (var q = 0; q < expressions.Length; q++)
        {
            var scores = new double[n];
            for (var i = 0; i < n; i++)
            {
                scores[i] = expressions[q].Score(batch, b, i);
            }

            var order = Enumerable.Range(0, n).ToArray();
            Array.Sort(order, (x, y) => scores[x] != scores[y] ? scores[y].CompareTo(scores[x]) : x.CompareTo(y));
            ranked[q] = order;
        }

        var taken = new bool[n];
        var queues = Enumerable.Range(0, expressions.Length).Select(_ => new List<int>(cap)).ToArray();
        var cursor = new int[expressions.Length];
        if (fill == QueueFill.Dfs)
        {
            for (var q = 0; q < queues.Length; q++)
            {
                while (queues[q].Count < cap && Next(ranked[q], ref cursor[q], taken) is var i and >= 0)
                {
                    queues[q].Add(i);
                }
            }
        }
        else
        {
            for (var progress = true; progress;)
            {
                progress = false;
                for (var q = 0; q < queues.Length; q++)
                {
                    if (queues[q].Count < cap && Next(ranked[q], ref cursor[q], taken) is var i and >= 0)
                    {
                        queues[q].Add(i);
                        progress = true;
                    }
                }
            }
        }

        return new CandidateQueues([.. queues.Select(q => q.ToArray())]);
    }

    /// <summary>Index of the queue holding each candidate (−1 when none), length n.</summary>
    public int[] Owners(int n)
    {
        var owner = new int[n];
        Array.Fill(owner, -1);
        for (var q = 0; q < Items.Length; q++)
        {
            foreach (var i in Items[q])
            {
                owner[i] = q;
            }
        }

        return owner;
    }

    private static int Next(int[] ranked, ref int cursor, bool[] taken)
    {
        while (cursor < ranked.Length)
        {
            var i = ranked[cursor++];
            if (!taken[i])
            {
                taken[i] = true;
                return i;
            }
        }

        return -1;
    }
}
