using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

internal sealed partial class SortGenGenerator
{
    /// <summary>The masks of one request: selected items, queue positions, the sub-list so far and its value.</summary>
    private sealed class State
    {
        private readonly RerankBatch batch;
        private readonly CandidateQueues queues;
        private readonly int[] cursor;
        private readonly bool[] selected;
        private readonly List<int> prefix = [];
        private readonly List<float> increments = [];
        private readonly List<int> heads = [];
        private float[]? unit;
        private double value;

        public State(RerankBatch batch, int b, QueueExpression[] expressions, SortGenOptions options)
        {
            this.batch = batch;
            Request = b;
            SlateSize = batch.SlateSizes[b];
            var cap = options.QueueLength > 0 ? options.QueueLength : SlateSize;
            queues = CandidateQueues.Build(batch, b, expressions, options.Fill, cap);
            cursor = new int[queues.Items.Length];
            selected = new bool[batch.CandidateCounts[b]];
        }

        public int Request { get; }

        public int SlateSize { get; }

        public IReadOnlyList<int> Prefix => prefix;

        public IReadOnlyList<int> Heads => heads;

        /// <summary>V(S) of the sub-list so far.</summary>
        public double Value => value;

        /// <summary>The cached-prefix scoring state (null on the engine path).</summary>
        public IncrementalSort.Session? Session { get; set; }

        /// <summary>The next unselected items at the top of each queue (the queue-state mask); when every queue is spent, all unselected candidates.</summary>
        public void CollectHeads(int perQueue)
        {
            heads.Clear();
            for (var q = 0; q < queues.Items.Length; q++)
            {
                var queue = queues.Items[q];
                while (cursor[q] < queue.Length && selected[queue[cursor[q]]])
                {
                    cursor[q]++;
                }

                for (int k = cursor[q], taken = 0; k < queue.Length && taken < perQueue; k++)
                {
                    if (!selected[queue[k]])
                    {
                        heads.Add(queue[k]);
                        taken++;
                    }
                }
            }

            if (heads.Count == 0)
            {
                for (var i = 0; i < selected.Length; i++)
                {
                    if (!selected[i])
                    {
                        heads.Add(i);
                    }
                }
            }
        }

        public void Select(int head, double newValue, float increment)
        {
            selected[head] = true;
            prefix.Add(head);
            increments.Add(increment);
            value = newValue;
        }

        /// <summary>max_{b ∈ last window items of S} cosine(i, b) of the items' embeddings (0 for an empty S).</summary>
        public double MaxSimilarity(int i, int window)
        {
            if (prefix.Count == 0)
            {
                return 0;
            }

            unit ??= UnitEmbeddings();
            var e = batch.EmbeddingWidth;
            var from = window > 0 ? Math.Max(0, prefix.Count - window) : 0;
            var max = double.NegativeInfinity;
            var a = unit.AsSpan(i * e, e);
            for (var s = from; s < prefix.Count; s++)
            {
                var other = unit.AsSpan(prefix[s] * e, e);
                var dot = 0f;
                for (var k = 0; k < e; k++)
                {
                    dot += a[k] * other[k];
                }

                max = Math.Max(max, dot);
            }

            return max;
        }

        public Slate ToSlate() => new([.. prefix], value, [.. increments]);

        private float[] UnitEmbeddings()
        {
            var e = batch.EmbeddingWidth;
            var n = selected.Length;
            var result = new float[n * e];
            for (var i = 0; i < n; i++)
            {
                var source = batch.Embeddings.AsSpan(batch.CandidateOffset(Request, i) * e, e);
                var norm = 0f;
                foreach (var v in source)
                {
                    norm += v * v;
                }

                var scale = norm > 0 ? 1 / MathF.Sqrt(norm) : 0;
                for (var k = 0; k < e; k++)
                {
                    result[(i * e) + k] = source[k] * scale;
                }
            }

            return result;
        }
    }
}
