using Rerank.Abstractions;
using Rerank.Evaluation.OffPolicy;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Pipelines;
using Rerank.Simulation.Datasets;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// One seed's off-policy evaluation (<c>evaluation.off_policy</c>): the test split's logged impressions as the estimators
/// read them, the estimators the log supports, and per pipeline each estimate beside the exact value where the test
/// requests carry the simulator's list model.
/// </summary>
internal sealed class OffPolicyEvaluation
{
    private readonly OffPolicyEvaluationOptions _options;
    private readonly IReadOnlyList<RerankRequest> _test;
    private readonly LoggedSlate[] _log;
    private readonly IReadOnlyList<OffPolicyEstimator> _estimators;
    private readonly ulong _seed;
    private ItemwiseRewardModel? _model;

    private OffPolicyEvaluation(OffPolicyEvaluationOptions options, IReadOnlyList<RerankRequest> test, LoggedSlate[] log, IReadOnlyList<OffPolicyEstimator> estimators, ulong seed, IReadOnlyList<string> notes)
    {
        _options = options;
        _test = test;
        _log = log;
        _estimators = estimators;
        _seed = seed;
        Settings = new OffPolicySettings(OptionsBinder.KeyOf(options.Reward.ToString()), options.Level, options.Bootstrap, options.Clip, options.MinEss, notes);
    }

    /// <summary>The settings and the notes on skipped estimators, for the results.</summary>
    public OffPolicySettings Settings { get; }

    /// <summary>
    /// Reads the log of <paramref name="data"/>'s test split and picks the estimators: the listed ones (one the log cannot
    /// support is an <see cref="ExperimentFailedException"/> naming it and what is missing), else every one it supports,
    /// each skipped one getting a note. It needs nothing trained, so a run stops here, before training, when the log
    /// cannot support a listed estimator; CDR's reward model comes later (<see cref="UseRewardModel"/>).
    /// </summary>
    /// <param name="options">The <c>evaluation.off_policy</c> block.</param>
    /// <param name="data">The loaded dataset; its <see cref="ExperimentData.TestImpressions"/> are the log.</param>
    /// <param name="seed">The run's seed, from which each interval's resampling seed derives (by pipeline and estimator).</param>
    public static OffPolicyEvaluation Prepare(OffPolicyEvaluationOptions options, ExperimentData data, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        var impressions = data.TestImpressions
            ?? throw new ExperimentFailedException("evaluation.off_policy: the dataset logged no test impressions to estimate from (use dataset type simulator or logs)");
        if (impressions.Count == 0)
        {
            throw new ExperimentFailedException("evaluation.off_policy: the dataset has no test requests to estimate from");
        }

        var log = new LoggedSlate[impressions.Count];
        for (var i = 0; i < log.Length; i++)
        {
            var impression = impressions[i];
            var logged = impression.Logged;
            var rewards = options.Reward switch
            {
                OffPolicyReward.Clicks => logged.Clicks,
                OffPolicyReward.Conversions => logged.Conversions,
                _ => impression.Gmv ?? throw new ExperimentFailedException($"evaluation.off_policy: reward gmv needs the GMV of each shown item (a 'gmv' column); test request '{logged.Request.RequestId}' has none"),
            };
            log[i] = new LoggedSlate(logged.Exposed, Array.ConvertAll(rewards, r => (double)r), impression.Policy);
        }

        var listed = options.Listed;
        var explicitly = listed.Count > 0;
        var estimators = new List<OffPolicyEstimator>();
        var notes = new List<string>();
        foreach (var estimator in explicitly ? listed : OffPolicyEstimator.All)
        {
            if (estimator == OffPolicyEstimator.Cdr && options.RewardModel is null)
            {
                notes.Add("CDR skipped: it needs a reward model (evaluation.off_policy.reward_model)");
                continue;
            }

            if (estimator.Missing(log) is { } missing)
            {
                if (explicitly)
                {
                    throw new ExperimentFailedException($"evaluation.off_policy: estimator {estimator.Key} needs {missing}, which the test log does not have");
                }

                notes.Add($"{estimator.Name} skipped: the log has no {missing}");
                continue;
            }

            estimators.Add(estimator);
        }

        return new OffPolicyEvaluation(options, data.Test, log, estimators, seed, notes);
    }

    /// <summary>Sets CDR's reward model (the trained <c>reward_model</c>) and evaluates it on every logged slate's prefixes.</summary>
    public void UseRewardModel(ItemwiseRewardModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        if (_estimators.Contains(OffPolicyEstimator.Cdr))
        {
            model.Precompute([.. _log.Select((l, i) => (i, l.Slate))]);
        }
    }

    /// <summary>
    /// Adds an error, at the evaluator's <c>use:</c>, when <c>reward_model</c> names an evaluator that is no item-wise
    /// evaluator (<see cref="IItemwiseEvaluator"/>): CDR needs its predictions at each position.
    /// </summary>
    public static void CheckRewardModel(OffPolicyEvaluationOptions? options, IEnumerable<(string Name, BuiltComponent Component)> evaluators, ICollection<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(evaluators);
        ArgumentNullException.ThrowIfNull(errors);
        if (options?.RewardModel is not { } name)
        {
            return;
        }

        foreach (var (_, component) in evaluators.Where(e => e.Name == name && e.Component.Instance is not IItemwiseEvaluator))
        {
            errors.Add(new ConfigError(component.Spec.Location, $"evaluation.off_policy: reward_model '{name}' ({component.Spec.Reference}) is not an item-wise evaluator; CDR needs one that predicts the reward at each position (IItemwiseEvaluator)"));
        }
    }

    /// <summary>
    /// Every estimate of <paramref name="pipeline"/>'s value from its <paramref name="slates"/> (one per test request): each
    /// slate cut to its logged slate's length; one shorter than that is an error naming the pipeline and the request.
    /// </summary>
    public IReadOnlyList<OffPolicyCell> Estimate(string pipeline, IReadOnlyList<Slate> slates)
    {
        ArgumentNullException.ThrowIfNull(slates);
        var targets = new int[_log.Length][];
        for (var i = 0; i < targets.Length; i++)
        {
            var length = _log[i].Slate.Length;
            var indices = slates[i].Indices;
            if (indices.Length < length)
            {
                throw new InvalidOperationException($"off_policy: pipeline '{pipeline}' gave {indices.Length} items for test request '{_test[i].RequestId}', whose logged slate has {length}; the estimators compare slates position by position, so a pipeline's slate must be at least as long");
            }

            targets[i] = indices.Length == length ? indices : indices[..length];
        }

        if (_estimators.Contains(OffPolicyEstimator.Cdr))
        {
            var model = _model ?? throw new InvalidOperationException("off_policy: CDR's reward model was not set (UseRewardModel)");
            model.Precompute([.. targets.Select((t, i) => (i, t))]);
        }

        var truth = Truth(targets);
        var cells = new OffPolicyCell[_estimators.Count];

        // The estimators are independent (each its own bootstrap seed; the logging policies' caches are locked), so they
        // run side by side; the numbers do not depend on the order.
        try
        {
            Parallel.For(0, cells.Length, k =>
            {
                var e = _estimators[k];
                var options = new OffPolicyOptions
                {
                    Clip = _options.Clip,
                    BootstrapSamples = _options.Bootstrap,
                    Level = _options.Level,
                    Seed = StableHash.Mix(_seed, StableHash.Of($"off-policy/{pipeline}/{e.Key}")),
                };
                cells[k] = new OffPolicyCell(e.Name, [new OffPolicyRun(_seed, e.Estimate(_log, targets, _model, options), truth)]);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return cells;
    }

    /// <summary>The exact mean reward of the slates under the test requests' list model; null when some request has none.</summary>
    private double? Truth(int[][] targets)
    {
        if (_test.Any(r => r.GroundTruth is null))
        {
            return null;
        }

        var sum = 0.0;
        for (var i = 0; i < targets.Length; i++)
        {
            var outcome = _test[i].GroundTruth!.Outcome(targets[i]);
            sum += _options.Reward switch
            {
                OffPolicyReward.Clicks => outcome.Click.Sum(),
                OffPolicyReward.Conversions => outcome.Conversion.Sum(),
                _ => outcome.Gmv.Sum(),
            };
        }

        return sum / targets.Length;
    }
}
