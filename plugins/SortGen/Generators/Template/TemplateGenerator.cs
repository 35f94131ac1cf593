using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// The "template method" of Table 2: the same objective queues as SORT-Gen, but position t takes the head of queue
/// pattern[t mod |pattern|] by a fixed rule (a spent queue passes to the next one that has items), with no model.
/// </summary>
internal sealed class TemplateGenerator : IGenerator
{
    private readonly TemplateOptions _options;
    private readonly QueueExpression[] _queues;

    public TemplateGenerator(TemplateOptions options, string name)
    {
        _options = options;
        Name = name;
        _queues = CandidateQueues.Parse(options);
    }

    public string Name { get; }

    public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        foreach (var q in _queues)
        {
            q.Check(batch.Schema, Name);
        }

        var slates = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            slates[b] = [Fill(batch, b)];
        }

        return slates;
    }

    private Slate Fill(RerankBatch batch, int b)
    {
        var l = batch.SlateSizes[b];
        var n = batch.CandidateCounts[b];
        var built = CandidateQueues.Build(batch, b, _queues, _options.Fill, _options.QueueLength > 0 ? _options.QueueLength : l);
        var cursor = new int[_queues.Length];
        var used = new bool[n];
        var slate = new List<int>(l);
        for (var t = 0; t < l; t++)
        {
            var pick = -1;
            for (var k = 0; k < _queues.Length && pick < 0; k++)
            {
                var q = (_options.Pattern[t % _options.Pattern.Length] + k) % _queues.Length;
                if (cursor[q] < built.Items[q].Length)
                {
                    pick = built.Items[q][cursor[q]++];
                }
            }

            if (pick < 0)
            {
                // Every queue is spent (queue_length below L): the best unused candidate of the first queue's order.
                pick = Enumerable.Range(0, n).Where(i => !used[i]).OrderByDescending(i => _queues[0].Score(batch, b, i)).ThenBy(i => i).First();
            }

            used[pick] = true;
            slate.Add(pick);
        }

        return new Slate([.. slate], -slate.Count);
    }
}
