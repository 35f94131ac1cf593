using Rerank.Abstractions;
using Rerank.Engine;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// DeGRe-G, the online generator (§4.3, §4.4): one greedy pointer-decoding pass per request, never repeating an item.
/// As an <see cref="IStepScorer"/> it returns log P_θ(v | l_&lt;t) (eq. 12) for any decoder; as an <see cref="IGenerator"/>
/// it decodes greedily itself. Training mines the supervision with the teacher evaluator (§4.2) and distils it with
/// eq. 13; <see cref="IMiner"/> exposes the mining alone, shard by shard.
/// </summary>
internal sealed partial class DeGReGenerator : IGenerator, IStepScorer, ITrainable, ITimedComponent, IMiner
{
    private readonly GeneratorOptions _options;
    private readonly ComponentContext _context;
    private readonly PhaseTimer _timer = new();
    private LookaheadEvaluator? _teacher;
    private FeatureSchema? _schema;
    private GeneratorModel? _model;

    public DeGReGenerator(GeneratorOptions options, ComponentContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _context = context;
        Name = context.ComponentName;
        if (options.Supervision == "mined" && options.Mined.Length == 0 && context.Components is { } resolver)
        {
            // Resolved now, so the host builds (and trains) the teacher before this generator.
            var parameters = options.TeacherParams is { } given ? OptionsBinder.ToParams(given) : null;
            _teacher = resolver.Resolve<IEvaluator>(options.Teacher, parameters) as LookaheadEvaluator
                ?? throw new ComponentException($"{Name}: teacher '{options.Teacher}' is not a DeGRe lookahead evaluator");
        }

        if (context.Schema is { } known)
        {
            Build(known);
        }
    }

    public string Name { get; }

    public StepScoreKind Kind => StepScoreKind.LogProbability;

    /// <summary>The network, once built against a schema.</summary>
    internal GeneratorModel? Model => _model;

    public bool IsTrained { get; private set; }

    public IReadOnlyList<PhaseTiming> Timings => _timer.Timings;

    public void ResetTimings() => _timer.Reset();

    public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var session = (Session)Begin(batch, context);
        var n = batch.MaxCandidates;
        var maxLength = batch.SlateSizes.Max();
        var chosen = Enumerable.Range(0, batch.Count).Select(b => new List<int>(batch.SlateSizes[b])).ToArray();
        var totals = new double[batch.Count];
        for (var t = 0; t < maxLength; t++)
        {
            var live = Enumerable.Range(0, batch.Count).Where(b => t < batch.SlateSizes[b]).ToArray();
            var prefixes = live.SelectMany(b => chosen[b]).ToArray();
            var rows = new StepRows(t, live, [.. live.Select(_ => -1)], prefixes);
            var scores = new float[live.Length * n];
            session.Score(rows, scores);
            for (var r = 0; r < live.Length; r++)
            {
                var b = live[r];
                var best = -1;
                for (var c = 0; c < batch.CandidateCounts[b]; c++)
                {
                    if (!chosen[b].Contains(c) && (best < 0 || scores[(r * n) + c] > scores[(r * n) + best]))
                    {
                        best = c;
                    }
                }

                chosen[b].Add(best);
                totals[b] += scores[(r * n) + best];
            }
        }

        return [.. chosen.Select((c, b) => (IReadOnlyList<Slate>)[new Slate([.. c], totals[b])])];
    }

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var m = Ready(batch.Schema);
        using (_timer.Measure("encode candidates"))
        using (Autograd.NoGrad())
        {
            var (memory, start) = m.Encode(batch);
            return new Session(this, m, batch, memory, start);
        }
    }

    private GeneratorModel Ready(FeatureSchema batchSchema)
    {
        if (_model is null || _schema is null || !IsTrained)
        {
            throw new ComponentException($"{Name}: the generator has no weights; train it or load a checkpoint first");
        }

        if (!_schema.Equals(batchSchema))
        {
            throw new ComponentException($"{Name}: the batch's schema differs from the model's: {string.Join("; ", _schema.Differences(batchSchema))}");
        }

        return _model;
    }

    private void Build(FeatureSchema s)
    {
        _schema = s;
        _model = new GeneratorModel(s, _options, new Rng(_context.Seed));
    }

    /// <summary>log P_θ(c | prefix) for every free candidate of every row, from one decoder pass over all rows.</summary>
    private sealed class Session(DeGReGenerator owner, GeneratorModel model, RerankBatch batch, Tensor memory, Tensor start) : IStepSession
    {
        public void Score(StepRows rows, Span<float> scores)
        {
            ArgumentNullException.ThrowIfNull(rows);
            var n = batch.MaxCandidates;
            var length = rows.Step + 1;
            var items = new int[rows.Count * length];
            for (var r = 0; r < rows.Count; r++)
            {
                rows.Prefix(r).CopyTo(items.AsSpan(r * length, rows.Step));
            }

            using var _ = owner._timer.Measure("decode step");
            using var scope = TensorScope.Inference();
            var logp = model.LogProbabilities(batch, memory, start, rows.Request, items, length).Span;
            for (var r = 0; r < rows.Count; r++)
            {
                var row = scores.Slice(r * n, n);
                logp.Slice(((r * length) + rows.Step) * n, n).CopyTo(row);
                var b = rows.Request[r];
                row[batch.CandidateCounts[b]..].Fill(float.NegativeInfinity);
                foreach (var p in rows.Prefix(r))
                {
                    row[p] = float.NegativeInfinity;
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
