using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Rerank.Serving.Metrics;

/// <summary>A Prometheus counter with labels; thread-safe, lock-free on the hot path.</summary>
internal sealed class CounterFamily
{
    private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);

    public CounterFamily(string name, string help, params string[] labels)
    {
        Name = name;
        Help = help;
        Labels = labels;
    }

    public string Name { get; }

    public string Help { get; }

    public IReadOnlyList<string> Labels { get; }

    public void Increment(params string[] values) => Cell.Of(_cells, Labels, values).Add();

    /// <summary>The current value for one label combination (0 when never incremented).</summary>
    public long Value(params string[] values) => _cells.TryGetValue(PrometheusText.Key(values), out var c) ? c.Count : 0;

    public void Write(StringBuilder sb)
    {
        PrometheusText.Header(sb, Name, Help, "counter");
        foreach (var cell in _cells.Values.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            sb.Append(Name).Append(PrometheusText.LabelSet(Labels, cell.Values)).Append(' ').Append(cell.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private sealed class Cell(string key, string[] values)
    {
        private long _count;

        public string Key { get; } = key;

        public string[] Values { get; } = values;

        public long Count => Interlocked.Read(ref _count);

        public static Cell Of(ConcurrentDictionary<string, Cell> cells, IReadOnlyList<string> labels, string[] values)
        {
            if (values.Length != labels.Count)
            {
                throw new ArgumentException($"expected {labels.Count} label values, got {values.Length}", nameof(values));
            }

            var key = PrometheusText.Key(values);
            return cells.TryGetValue(key, out var cell) ? cell : cells.GetOrAdd(key, k => new Cell(k, values));
        }

        public void Add() => Interlocked.Increment(ref _count);
    }
}

/// <summary>A Prometheus histogram with labels and fixed buckets (upper bounds, +Inf implied).</summary>
internal sealed class HistogramFamily
{
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly double[] _bounds;

    public HistogramFamily(string name, string help, double[] bounds, params string[] labels)
    {
        Name = name;
        Help = help;
        _bounds = bounds;
        Labels = labels;
    }

    public string Name { get; }

    public string Help { get; }

    public IReadOnlyList<string> Labels { get; }

    public void Observe(double value, params string[] values)
    {
        var key = PrometheusText.Key(values);
        var s = _series.TryGetValue(key, out var found) ? found : _series.GetOrAdd(key, k => new Series(k, values, _bounds.Length));
        s.Observe(_bounds, value);
    }

    /// <summary>Number of observations for one label combination.</summary>
    public long Count(params string[] values) => _series.TryGetValue(PrometheusText.Key(values), out var s) ? s.Total : 0;

    /// <summary>Sum of observations for one label combination.</summary>
    public double Sum(params string[] values) => _series.TryGetValue(PrometheusText.Key(values), out var s) ? s.SumValue : 0;

    public void Write(StringBuilder sb)
    {
        PrometheusText.Header(sb, Name, Help, "histogram");
        foreach (var s in _series.Values.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            s.Write(sb, Name, Labels, _bounds);
        }
    }

    private sealed class Series(string key, string[] values, int buckets)
    {
        private readonly long[] _counts = new long[buckets + 1];
        private readonly Lock _gate = new();
        private long _total;
        private double _sum;

        public string Key { get; } = key;

        public long Total
        {
            get
            {
                lock (_gate)
                {
                    return _total;
                }
            }
        }

        public double SumValue
        {
            get
            {
                lock (_gate)
                {
                    return _sum;
                }
            }
        }

        public void Observe(double[] bounds, double value)
        {
            var i = 0;
            while (i < bounds.Length && value > bounds[i])
            {
                i++;
            }

            lock (_gate)
            {
                _counts[i]++;
                _total++;
                _sum += value;
            }
        }

        public void Write(StringBuilder sb, string name, IReadOnlyList<string> labels, double[] bounds)
        {
            long[] snapshot;
            long n;
            double s;
            lock (_gate)
            {
                snapshot = (long[])_counts.Clone();
                n = _total;
                s = _sum;
            }

            var names = labels.Append("le").ToArray();
            var cumulative = 0L;
            for (var i = 0; i <= bounds.Length; i++)
            {
                cumulative += snapshot[i];
                var le = i < bounds.Length ? PrometheusText.Number(bounds[i]) : "+Inf";
                sb.Append(name).Append("_bucket").Append(PrometheusText.LabelSet(names, [.. values, le])).Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            var set = PrometheusText.LabelSet(labels, values);
            sb.Append(name).Append("_sum").Append(set).Append(' ').Append(PrometheusText.Number(s)).Append('\n');
            sb.Append(name).Append("_count").Append(set).Append(' ').Append(n.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
