using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

internal sealed partial class SortGenGenerator
{
    /// <summary>The masks of one request: selected items, queue positions, the sub-list so far and its value.</summary>
    private sealed class State
    {
        private readonly RerankBatch _batch;
        private readonly CandidateQueues _queues;
        private readonly int[] _cursor;
        private readonly bool[] _selected;
        private readonly List<int> _prefix = [];
        private readonly List<float> _increments = [];
        private readonly List<int> _heads = [];
        private float[]? _unit;
        private double _value;

        public State(RerankBatch batch, int b, QueueExpression[] expressions, SortGenOptions options)
        {
            _batch = batch;
            Request = b;
            SlateSize = batch.SlateSizes[b];
            var cap = options.QueueLength > 0 ? options.QueueLength : SlateSize;
            _queues = CandidateQueues.Build(batch, b, expressions, options.Fill, cap);
            _cursor = new int[_queues.Items.Length];
            _selected = new bool[batch.CandidateCounts[b]];
        }

        public int Request { get; }

        public int SlateSize { get; }

        public IReadOnlyList<int> Prefix => _prefix;

        public IReadOnlyList<int> Heads => _heads;

        /// <summary>V(S) of the sub-list so far.</summary>
        public double Value => _value;

        /// <summary>The cached-prefix scoring state (null on the engine path).</summary>
        public IncrementalSort.Session? Session { get; set; }

        /// <summary>The next unselected items at the top of each queue (the queue-state mask); when every queue is spent, all unselected candidates.</summary>
        public void CollectHeads(int perQueue)
        {
            _heads.Clear();
            for (var q = 0; q < _queues.Items.Length; q++)
            {
                var queue = _queues.Items[q];
                while (_cursor[q] < queue.Length && _selected[queue[_cursor[q]]])
                {
                    _cursor[q]++;
                }

                for (int k = _cursor[q], taken = 0; k < queue.Length && taken < perQueue; k++)
                {
                    if (!_selected[queue[k]])
                    {
                        _heads.Add(queue[k]);
                        taken++;
                    }
                }
            }

            if (_heads.Count == 0)
            {
                for (var i = 0; i < _selected.Length; i++)
                {
                    if (!_selected[i])
                    {
                        _heads.Add(i);
                    }
                }
            }
        }

        public void Select(int head, double newValue, float increment)
        {
            _selected[head] = true;
            _prefix.Add(head);
            _increments.Add(increment);
            _value = newValue;
        }

        /// <summary>max_{b ∈ last window items of S} cosine(i, b) of the items' embeddings (0 for an empty S).</summary>
        public double MaxSimilarity(int i, int window)
        {
            if (_prefix.Count == 0)
            {
                return 0;
            }

            _unit ??= UnitEmbeddings();
            var e = _batch.EmbeddingWidth;
            var from = window > 0 ? Math.Max(0, _prefix.Count - window) : 0;
            var max = double.NegativeInfinity;
            var a = _unit.AsSpan(i * e, e);
            for (var s = from; s < _prefix.Count; s++)
            {
                var other = _unit.AsSpan(_prefix[s] * e, e);
                var dot = 0f;
                for (var k = 0; k < e; k++)
                {
                    dot += a[k] * other[k];
                }

                max = Math.Max(max, dot);
            }

            return max;
        }

        public Slate ToSlate() => new([.. _prefix], _value, [.. _increments]);

        private float[] UnitEmbeddings()
        {
            var e = _batch.EmbeddingWidth;
            var n = _selected.Length;
            var result = new float[n * e];
            for (var i = 0; i < n; i++)
            {
                var source = _batch.Embeddings.AsSpan(_batch.CandidateOffset(Request, i) * e, e);
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
