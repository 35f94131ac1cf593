using Rerank.Abstractions;
using Rerank.Engine;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// DeGRe-E, the lookahead evaluator (§4.1): a cumulative-regression model of the clicks of every prefix of a list.
/// As an <see cref="IEvaluator"/> a slate's value is V̂(l_1:L) (eq. 4); as an <see cref="IItemwiseEvaluator"/> the click
/// estimate at position t is the increment V̂(l_1:t) − V̂(l_1:t−1); as a <see cref="StepScoreKind.PrefixValue"/>
/// <see cref="IStepScorer"/> every extension of every row is scored in one batched pass, so beam decoders search with it.
/// </summary>
internal sealed partial class LookaheadEvaluator : IItemwiseEvaluator, IStepScorer, ITrainable, ITimedComponent
{
    private readonly EvaluatorOptions _options;
    private readonly ulong _seed;
    private readonly ComponentContext _component;
    private readonly PhaseTimer _timer = new();
    private FeatureSchema? _schema;
    private LookaheadModel? _model;

    public LookaheadEvaluator(EvaluatorOptions options, ComponentContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _component = context;
        Name = context.ComponentName;
        _seed = context.Seed;
        if (context.Schema is { } known)
        {
            Build(known);
        }
    }

    public string Name { get; }

    public StepScoreKind Kind => StepScoreKind.PrefixValue;

    public bool IsTrained { get; private set; }

    public IReadOnlyList<PhaseTiming> Timings => _timer.Timings;

    /// <summary>The network, once built against a schema.</summary>
    internal LookaheadModel? Model => _model;

    /// <summary>The options the evaluator was built with.</summary>
    internal EvaluatorOptions Options => _options;

    public void ResetTimings() => _timer.Reset();

    public double[][] Evaluate(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var flat = new List<(int Request, int[] Items)>();
        for (var b = 0; b < batch.Count; b++)
        {
            flat.AddRange(slates[b].Select(s => (b, s.Indices)));
        }

        var values = PositionValues(batch, flat);
        var result = new double[batch.Count][];
        var next = 0;
        for (var b = 0; b < batch.Count; b++)
        {
            result[b] = new double[slates[b].Count];
            for (var k = 0; k < result[b].Length; k++, next++)
            {
                var v = values[next];
                result[b][k] = v.Length == 0 ? 0 : v[^1];
            }
        }

        return result;
    }

    public float[][] PredictPositions(RerankBatch batch, IReadOnlyList<Slate> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var values = PositionValues(batch, [.. slates.Select((s, b) => (b, s.Indices))]);
        return [.. values.Select(v =>
        {
            var p = new float[v.Length];
            for (var t = 0; t < v.Length; t++)
            {
                // The click estimate at t is the increment of the expected cumulative clicks (eq. 4).
                p[t] = Math.Clamp(v[t] - (t == 0 ? 0f : v[t - 1]), 1e-6f, 1f - 1e-6f);
            }

            return p;
        })];
    }

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new Session(this, batch, Encode(batch));
    }

    /// <summary>Processes every candidate of the batch once (no gradients): what prefix sequences are gathered from.</summary>
    internal CandidateEncoding Encode(RerankBatch batch)
    {
        var m = Ready(batch.Schema);
        using (_timer.Measure("encode candidates"))
        using (Autograd.NoGrad())
        {
            return Candidates(m, batch);
        }
    }

    /// <summary>The processed candidates of a batch for <paramref name="m"/>, with their unit content embeddings when it reads list context.</summary>
    internal static CandidateEncoding Candidates(LookaheadModel m, RerankBatch batch)
    {
        var unit = m.ExtraFields > 0 ? ListContext.UnitContent(batch) : [];
        return new(
            m.Features.Forward(batch).Tokens,
            m.ReadsListContext ? unit : [],
            batch.EmbeddingWidth,
            m.ReadsAffinity ? ListContext.Affinity(batch, m.HistoryWindow, unit) : []);
    }

    /// <summary>
    /// V̂ at every position of S sequences of one length, [S, T] row-major; <paramref name="items"/> holds flat slots
    /// b·N + i of <paramref name="tokens"/>. Runs in chunks of <c>scoring_batch</c> sequences.
    /// </summary>
    internal float[] PrefixValues(CandidateEncoding tokens, int[] items, int sequences, int length)
    {
        var m = _model ?? throw new InvalidOperationException($"{Name}: no model");
        var values = new float[sequences * length];
        var chunk = Math.Max(1, _options.ScoringBatch);
        using var _ = _timer.Measure("score prefixes");
        for (var start = 0; start < sequences; start += chunk)
        {
            var count = Math.Min(chunk, sequences - start);
            using var scope = TensorScope.Inference();
            var logits = m.Logits(tokens, items[(start * length)..((start + count) * length)], count, length);
            LookaheadModel.Values(logits, count, length).CopyTo(values, start * length);
        }

        return values;
    }

    private List<float[]> PositionValues(RerankBatch batch, IReadOnlyList<(int Request, int[] Items)> lists)
    {
        var tokens = Encode(batch);
        var n = batch.MaxCandidates;
        var result = new float[lists.Count][];
        foreach (var group in lists.Select((l, i) => (l, i)).GroupBy(x => x.l.Items.Length))
        {
            var members = group.ToArray();
            var length = group.Key;
            if (length == 0)
            {
                foreach (var (_, i) in members)
                {
                    result[i] = [];
                }

                continue;
            }

            var items = new int[members.Length * length];
            for (var s = 0; s < members.Length; s++)
            {
                var (list, _) = members[s];
                for (var t = 0; t < length; t++)
                {
                    items[(s * length) + t] = (list.Request * n) + list.Items[t];
                }
            }

            var values = PrefixValues(tokens, items, members.Length, length);
            for (var s = 0; s < members.Length; s++)
            {
                result[members[s].i] = values[(s * length)..((s + 1) * length)];
            }
        }

        return [.. result];
    }

    private LookaheadModel Ready(FeatureSchema batchSchema)
    {
        if (_model is null || _schema is null || !IsTrained)
        {
            throw new ComponentException($"{Name}: the evaluator has no weights; train it or load a checkpoint first");
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
        _model = new LookaheadModel(s, _options, new Rng(_seed));
    }

    /// <summary>Scores every free candidate of every row as V̂(prefix + c), all rows of a step in one batched pass.</summary>
    private sealed class Session(LookaheadEvaluator owner, RerankBatch batch, CandidateEncoding tokens) : IStepSession
    {
        public void Score(StepRows rows, Span<float> scores)
        {
            ArgumentNullException.ThrowIfNull(rows);
            var n = batch.MaxCandidates;
            var length = rows.Step + 1;
            var slots = new List<(int Row, int Candidate)>();
            var items = new List<int>();
            for (var r = 0; r < rows.Count; r++)
            {
                var b = rows.Request[r];
                var prefix = rows.Prefix(r);
                for (var c = 0; c < batch.CandidateCounts[b]; c++)
                {
                    if (prefix.Contains(c))
                    {
                        continue;
                    }

                    slots.Add((r, c));
                    foreach (var p in prefix)
                    {
                        items.Add((b * n) + p);
                    }

                    items.Add((b * n) + c);
                }
            }

            scores[..(rows.Count * n)].Fill(float.NegativeInfinity);
            var values = slots.Count == 0 ? [] : owner.PrefixValues(tokens, [.. items], slots.Count, length);
            for (var s = 0; s < slots.Count; s++)
            {
                scores[(slots[s].Row * n) + slots[s].Candidate] = values[(s * length) + length - 1];
            }
        }

        public void Dispose()
        {
        }
    }
}
