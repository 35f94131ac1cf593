using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// SORT-Gen's mask-driven fast generation (§3.2, Fig. 1b). Candidates are partitioned into objective queues; at every step
/// the current sub-list S of every request is expanded with the head of every queue, all expansions of the whole batch are
/// scored by SORT in one forward pass, and the expansion maximising λ·V([S, i]) − (1 − λ)·max_{b ∈ window(S)} SIM(i, b)
/// (eq. 6) is kept; selection and queue masks advance. All l_o steps run inside one <see cref="Generate"/> call.
/// </summary>
internal sealed partial class SortGenGenerator : IGenerator, ITrainable, ITimedComponent
{
    private readonly SortGenOptions _options;
    private readonly SortModel _model;
    private readonly ObjectiveWeights _weights;
    private readonly QueueExpression[] _queues;

    public SortGenGenerator(SortGenOptions options, ComponentContext context)
    {
        _options = options;
        Name = context.ComponentName;
        _model = new SortModel(options, context);
        _weights = options.Weights;
        _queues = CandidateQueues.Parse(options);
    }

    public string Name { get; }

    public bool IsTrained => _model.IsTrained;

    /// <summary>Score expansions by full forward passes of the engine instead of the cached-prefix path (tests compare the two).</summary>
    internal bool EnginePath { get; set; }

    public IReadOnlyList<PhaseTiming> Timings => _model.Timer.Timings;

    public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        foreach (var q in _queues)
        {
            q.Check(batch.Schema, Name);
        }

        if (_options.Lambda < 1 && batch.EmbeddingWidth == 0)
        {
            throw new ComponentException($"{Name}: integrated MMR (lambda {_options.Lambda} < 1) needs item embeddings, and the data's schema has none");
        }

        State[] states;
        using (_model.Timer.Measure("queues"))
        {
            states = [.. Enumerable.Range(0, batch.Count).Select(b => new State(batch, b, _queues, _options))];
        }

        var steps = batch.Count == 0 ? 0 : batch.SlateSizes.Max();
        if (!EnginePath)
        {
            var fast = _model.Incremental();
            using (_model.Timer.Measure("encode candidates"))
            {
                foreach (var state in states)
                {
                    state.Session = fast.Begin(batch, state.Request, Name);
                }
            }
        }

        for (var t = 0; t < steps; t++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            if (EnginePath)
            {
                Step(batch, states, t);
            }
            else
            {
                CachedStep(batch, states, t);
            }
        }

        return [.. states.Select(s => (IReadOnlyList<Slate>)[s.ToSlate()])];
    }

    public TrainResult Train(TrainingData data, TrainingContext context) => _model.Train(data, context);

    public void Save(string path) => _model.Save(path);

    public void Load(string path) => _model.Load(path);

    public void ResetTimings() => _model.Timer.Reset();
}
