using Rerank.Abstractions;
using Rerank.Runtime.Plugins;

namespace Rerank.Testing;

/// <summary>
/// An in-process plugin for serving tests, in two versions: <c>order</c> returns candidates in index order (1.0.0) or
/// reversed (1.1.0), with item score = position from the end; <c>throwing</c> throws when a candidate id starts with
/// "boom"; <c>slow</c> sleeps <c>delay_ms</c> for user "slow"; <c>learned</c> is trainable: it rotates the index order by
/// the offset its checkpoint holds, and refuses to run untrained.
/// </summary>
public sealed class ProbePlugin(string version) : IRerankPlugin
{
    /// <summary>A catalog of the probe plugin in versions 1.0.0 and 1.1.0.</summary>
    public static PluginCatalog Catalog() => PluginCatalog.FromPlugins(new ProbePlugin("1.0.0"), new ProbePlugin("1.1.0"));

    public string Id => "probe";

    public string Version => version;

    public void Register(IPluginRegistry registry)
    {
        var reversed = version != "1.0.0";
        registry.AddGenerator<NoOptions>("order", (_, _) => new OrderGenerator(reversed), "index order (1.0.0) or reversed (others)");
        registry.AddGenerator<NoOptions>("throwing", (_, _) => new ThrowingGenerator(), "throws for candidates named boom*");
        registry.AddGenerator<SlowOptions>("slow", (o, _) => new SlowGenerator(o.DelayMs), "sleeps for user 'slow'");
        registry.AddGenerator<NoOptions>("learned", (_, _) => new LearnedGenerator(), "trainable: rotates the order by its checkpoint's offset");
        registry.AddGenerator<NoOptions>("nan", (_, _) => new NanGenerator(), "index order; NaN scores for user 'nan'");
        registry.AddGenerator<NoOptions>("thread", (_, _) => new ThreadGenerator(), "index order; the slate's score is 1 when it ran on a thread-pool thread");
    }

    public sealed class NoOptions;

    public sealed class SlowOptions
    {
        public int DelayMs { get; set; } = 2000;
    }

    private sealed class OrderGenerator(bool reversed) : IGenerator
    {
        public string Name => "order";

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
        {
            var slates = new IReadOnlyList<Slate>[batch.Count];
            for (var b = 0; b < batch.Count; b++)
            {
                var n = batch.CandidateCounts[b];
                var order = Enumerable.Range(0, n).Select(i => reversed ? n - 1 - i : i).ToArray();
                slates[b] = [new Slate(order, 1.0, [.. Enumerable.Range(0, n).Select(k => (float)(n - k))])];
            }

            return slates;
        }
    }

    /// <summary>A buggy model: NaN item scores for user 'nan' (a NaN slate score for user 'nan-slate').</summary>
    private sealed class NanGenerator : IGenerator
    {
        public string Name => "nan";

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context) =>
            [.. batch.Requests.Select(r =>
            {
                var n = r.Candidates.Count;
                var score = r.UserId == "nan-slate" ? double.NaN : 1.0;
                var itemScore = r.UserId == "nan" ? float.NaN : 1f;
                return (IReadOnlyList<Slate>)[new Slate([.. Enumerable.Range(0, n)], score, [.. Enumerable.Repeat(itemScore, n)])];
            })];
    }

    private sealed class ThrowingGenerator : IGenerator
    {
        public string Name => "throwing";

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
        {
            if (batch.Requests.Any(r => r.Candidates.Any(c => c.Id.StartsWith("boom", StringComparison.Ordinal))))
            {
                throw new ComponentException("throwing: a candidate is named boom");
            }

            return [.. batch.Requests.Select(r => (IReadOnlyList<Slate>)[new Slate([.. Enumerable.Range(0, r.Candidates.Count)], 0)])];
        }
    }

    private sealed class SlowGenerator(int delayMs) : IGenerator
    {
        public string Name => "slow";

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
        {
            if (batch.Requests.Any(r => r.UserId == "slow"))
            {
                Thread.Sleep(delayMs);
            }

            return [.. batch.Requests.Select(r => (IReadOnlyList<Slate>)[new Slate([.. Enumerable.Range(0, r.Candidates.Count)], 0)])];
        }
    }

    /// <summary>A trainable generator whose "weights" are one integer in a text file.</summary>
    public sealed class LearnedGenerator : IGenerator, ITrainable
    {
        private int? _offset;

        public string Name => "learned";

        public bool IsTrained => _offset is not null;

        public static void WriteCheckpoint(string path, int offset) => File.WriteAllText(path, $"probe-learned {offset}");

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
        {
            var shift = _offset ?? throw new ComponentException("learned: not trained");
            return [.. batch.Requests.Select(r =>
            {
                var n = r.Candidates.Count;
                return (IReadOnlyList<Slate>)[new Slate([.. Enumerable.Range(0, n).Select(i => (i + shift) % n)], 0)];
            })];
        }

        public TrainResult Train(TrainingData data, TrainingContext context)
        {
            _offset = 1;
            return new TrainResult([], TimeSpan.Zero);
        }

        public void Save(string path) => WriteCheckpoint(path, _offset ?? 0);

        public void Load(string path)
        {
            var parts = File.ReadAllText(path).Split(' ');
            _offset = parts is ["probe-learned", var text] && int.TryParse(text, out var value)
                ? value
                : throw new InvalidDataException($"learned: '{path}' is not a probe checkpoint");
        }
    }

    private sealed class ThreadGenerator : IGenerator
    {
        public string Name => "thread";

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context) =>
            [.. batch.Requests.Select(r => (IReadOnlyList<Slate>)[new Slate([.. Enumerable.Range(0, r.Candidates.Count)], Thread.CurrentThread.IsThreadPoolThread ? 1 : 0)])];
    }
}
