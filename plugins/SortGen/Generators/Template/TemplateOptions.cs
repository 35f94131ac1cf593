using System.ComponentModel.DataAnnotations;

namespace Rerank.Plugins.SortGen;

/// <summary>Options of the <c>template</c> generator: the Table 2 ablation "multi-objective queues + template method".</summary>
public sealed class TemplateOptions : IQueueOptions, Rerank.Abstractions.IValidatableOptions
{
    /// <summary>Queue expressions in priority order (YAML <c>queues</c>, default <c>ctr</c>, <c>ctr*cvr</c>, <c>ctr*cvr*price</c>).</summary>
    public string[] Queues { get; set; } = ["ctr", "ctr*cvr", "ctr*cvr*price"];

    /// <summary>DFS or BFS partition (YAML <c>fill</c>, default <c>bfs</c>).</summary>
    public QueueFill Fill { get; set; } = QueueFill.Bfs;

    /// <summary>Cap of each queue (YAML <c>queue_length</c>, default 0 = L). Range: [0, 10000].</summary>
    [Range(0, 10_000)]
    public int QueueLength { get; set; }

    /// <summary>
    /// Queue index to draw from at each position, repeated cyclically (YAML <c>pattern</c>, default [0, 1, 0, 2, 0]: a
    /// hard-coded cross-distribution of the objectives without a learnt model).
    /// Range: [0, 1023] each.
    /// </summary>
    [Range(0, 1023)]
    public int[] Pattern { get; set; } = [0, 1, 0, 2, 0];

    /// <summary>Checks the queues and the pattern.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var error in QueueOptionsValidation.Validate(this))
        {
            yield return error;
        }

        if (Pattern is null || Pattern.Length == 0)
        {
            yield return "pattern must list at least one queue index";
        }
        else if (Queues is { Length: > 0 } && Pattern.FirstOrDefault(p => p < 0 || p >= Queues.Length, -1) is var bad and not -1)
        {
            yield return $"pattern names queue {bad}, but there are {Queues.Length} queues (indices 0..{Queues.Length - 1})";
        }
    }
}
