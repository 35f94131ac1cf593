using System.ComponentModel.DataAnnotations;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// Options of the <c>generator</c> (SORT-Gen): the SORT model's hyper-parameters and training (recorded in checkpoints), and the
/// inference settings that change without retraining: α, β, γ (eq. 1), the queues (§3.2.1) and integrated MMR (eq. 6).
/// </summary>
public sealed class SortGenOptions : SortValueOptions, IQueueOptions
{
    /// <summary>Queue expressions in priority order (YAML <c>queues</c>, default click <c>ctr</c>, conversion <c>ctr*cvr</c>, GMV <c>ctr*cvr*price</c>).</summary>
    public string[] Queues { get; set; } = ["ctr", "ctr*cvr", "ctr*cvr*price"];

    /// <summary>DFS or BFS partition of the candidates into the queues (YAML <c>fill</c>, default <c>bfs</c>).</summary>
    public QueueFill Fill { get; set; } = QueueFill.Bfs;

    /// <summary>Cap of each queue, l_o (YAML <c>queue_length</c>, default 0 = the request's L). Range: [0, 10000].</summary>
    [Range(0, 10_000)]
    public int QueueLength { get; set; }

    /// <summary>
    /// How many items from the top of each queue expand the sub-list at every step (YAML <c>heads_per_queue</c>, default 1 as in
    /// the paper; the "ranking top queue" ablation uses one queue with as many heads as the full model has queues).
    /// Range: [1, 1024].
    /// </summary>
    [Range(1, 1024)]
    public int HeadsPerQueue { get; set; } = 1;

    /// <summary>λ of eq. 6 in [0, 1]: 1 selects by value only (MMR off) (YAML <c>lambda</c>, default 0.6). Range: [0, 1].</summary>
    [Range(0.0, 1.0)]
    public double Lambda { get; set; } = 0.6;

    /// <summary>Sliding window of eq. 6: similarity is taken to the last <c>window</c> selected items (YAML <c>window</c>, default 3; 0 = all). Range: [0, 10000].</summary>
    [Range(0, 10_000)]
    public int Window { get; set; } = 3;

    /// <inheritdoc />
    public override IEnumerable<string> Validate()
    {
        foreach (var error in base.Validate().Concat(QueueOptionsValidation.Validate(this)))
        {
            yield return error;
        }
    }
}
