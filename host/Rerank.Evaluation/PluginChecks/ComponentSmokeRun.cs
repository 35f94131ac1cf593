using System.Globalization;
using System.Text;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins.Inspection;
using Rerank.Simulation;

namespace Rerank.Evaluation.PluginChecks;

/// <summary>
/// The quick conformance pass of <c>rerank plugins check</c>: every component of the inspected plugin is built with its
/// default params (through <see cref="ComponentFactory"/>, as the host builds it), run twice on the same small simulated
/// batch, and its outputs checked: the same both times, slates of real, distinct candidates, finite scores. A trainable
/// component that refuses to run untrained is trained briefly on simulated logs; when that fails or takes too long, it
/// is reported as "needs training", never as a pass.
/// </summary>
public static class ComponentSmokeRun
{
    /// <summary>The seed of the simulated world, the batch and every component.</summary>
    public const ulong Seed = 20240601;

    /// <summary>How long a brief training may take before the run is skipped.</summary>
    public static readonly TimeSpan TrainingBudget = TimeSpan.FromSeconds(20);

    /// <summary>One line per component: ok, warning (run skipped) or error (with the reason).</summary>
    public static IReadOnlyList<CheckLine> Run(PluginInspection inspection)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var plugin = inspection.Plugin;
        if (plugin is null || plugin.Components.Count == 0)
        {
            return [];
        }

        var data = Simulator.Generate(new SimulatorOptions
        {
            Items = 200,
            Users = 40,
            Categories = 8,
            StreamLength = 60,
            HistoryLength = 10,
            Candidates = 12,
            SlateSize = 4,
            TrainRequests = 200,
            ValidationRequests = 40,
            TestRequests = 6,
        }, Seed);
        var batch = RerankBatch.Create(data.Schema, data.Test);
        var factory = new ComponentFactory(inspection.Catalog, data.Schema, Seed) { DeviceLog = TextWriter.Null };
        var lines = new List<CheckLine>();
        foreach (var registration in plugin.Components)
        {
            var check = $"{registration.Kind.Word()} {registration.Name}: run";
            try
            {
                lines.Add(Check(check, registration.Kind, factory, $"{plugin.Id}@{plugin.Version}/{registration.Name}", batch, data));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lines.Add(new CheckLine(check, CheckLevel.Error, $"threw {Describe(e)}"));
            }
        }

        return lines;
    }

    private static CheckLine Check(string check, ComponentKind kind, ComponentFactory factory, string reference, RerankBatch batch, SimulatedDataset data)
    {
        var errors = new List<ConfigError>();
        var spec = new ComponentSpec(reference, null, null, new SourceLocation("<plugins check>", 1, 1));
        var built = factory.Build(kind, spec, errors);
        if (built is null)
        {
            // Some components need params by design (an ONNX model's input mapping): a warning, since the run could not happen.
            return new CheckLine(check, CheckLevel.Warning, $"needs params: run skipped (with default params: {string.Join("; ", errors.Select(e => e.Message))})");
        }

        var component = built.Instance;
        var trained = "";
        if (component is ITrainable { IsTrained: false } trainable)
        {
            string? refused = null;
            try
            {
                RunOnce(kind, component, batch);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                refused = Describe(e);
            }

            if (refused is not null)
            {
                using var budget = new CancellationTokenSource(TrainingBudget);
                try
                {
                    trainable.Train(data.ToTrainingData(), new TrainingContext(Seed, null, budget.Token));
                    trained = $" (after a brief training on {data.Train.Count} simulated lists)";
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    var why = e is OperationCanceledException ? $"training on {data.Train.Count} simulated lists took over {TrainingBudget.TotalSeconds:0} s" : $"training threw {Describe(e)}";
                    return new CheckLine(check, CheckLevel.Warning, $"needs training: run skipped (untrained it threw {refused}; {why})");
                }
            }
        }

        var first = RunOnce(kind, component, batch);
        var second = RunOnce(kind, component, batch);
        if (first.Problem is not null)
        {
            return new CheckLine(check, CheckLevel.Error, first.Problem);
        }

        return first.Signature == second.Signature
            ? new CheckLine(check, CheckLevel.Ok, $"deterministic and well-formed on {batch.Count} simulated requests{trained}")
            : new CheckLine(check, CheckLevel.Error, $"not deterministic: two runs on the same batch and seed gave different outputs{trained}");
    }

    private static Outcome RunOnce(ComponentKind kind, IComponent component, RerankBatch batch)
    {
        var context = new RerankContext(Seed);
        const int Count = 3;
        return kind switch
        {
            ComponentKind.Generator => SlateOutcome(batch, ((IGenerator)component).Generate(batch, Count, context), Count),
            ComponentKind.Decoder => SlateOutcome(batch, ((IDecoder)component).Decode(batch, new PriorScorer(), null, Count, context), Count),
            ComponentKind.Evaluator => EvaluatorOutcome(batch, (IEvaluator)component, context),
            ComponentKind.Scorer => ScorerOutcome(batch, (IStepScorer)component, context),
            ComponentKind.Diversifier => DiversifierOutcome(batch, (IDiversifier)component),
            _ => new Outcome("", $"unknown kind {kind}"),
        };
    }

    private static Outcome SlateOutcome(RerankBatch batch, IReadOnlyList<Slate>[] slates, int count)
    {
        if (slates is null || slates.Length != batch.Count)
        {
            return new Outcome("", $"returned slates for {slates?.Length ?? 0} of {batch.Count} requests");
        }

        var signature = new StringBuilder();
        for (var b = 0; b < batch.Count; b++)
        {
            if (slates[b] is not { Count: > 0 } list || list.Count > count)
            {
                return new Outcome("", $"request {b}: returned {slates[b]?.Count ?? 0} slates, expected 1 to {count}");
            }

            foreach (var slate in list)
            {
                if (SlateProblem(slate, batch.CandidateCounts[b], Math.Min(batch.SlateSizes[b], batch.CandidateCounts[b])) is { } problem)
                {
                    return new Outcome("", $"request {b}: {problem}");
                }

                Append(signature, slate);
            }
        }

        return new Outcome(signature.ToString(), null);
    }

    private static string? SlateProblem(Slate slate, int candidates, int minLength)
    {
        if (slate.Indices.Any(i => i < 0 || i >= candidates))
        {
            return $"slate [{string.Join(", ", slate.Indices)}] indexes outside the {candidates} candidates";
        }

        if (slate.Indices.Distinct().Count() != slate.Count)
        {
            return $"slate [{string.Join(", ", slate.Indices)}] repeats an item";
        }

        if (slate.Count < minLength)
        {
            return $"slate has {slate.Count} items, fewer than the slate size {minLength}";
        }

        return double.IsFinite(slate.Score) && (slate.ItemScores?.All(float.IsFinite) ?? true) ? null : $"slate [{string.Join(", ", slate.Indices)}] has a score that is not finite";
    }

    private static Outcome EvaluatorOutcome(RerankBatch batch, IEvaluator evaluator, RerankContext context)
    {
        var lists = Enumerable.Range(0, batch.Count).Select(b => (IReadOnlyList<Slate>)
        [
            new Slate([.. Enumerable.Range(0, batch.SlateSizes[b])], 0),
            new Slate([.. Enumerable.Range(0, batch.SlateSizes[b]).Reverse()], 0),
        ]).ToList();
        var values = evaluator.Evaluate(batch, lists, context);
        if (values is null || values.Length != batch.Count || values.Any(v => v is null || v.Length != 2))
        {
            return new Outcome("", $"returned {values?.Length ?? 0} rows for {batch.Count} requests of 2 slates each; expected one value per slate");
        }

        return values.SelectMany(v => v).All(double.IsFinite)
            ? new Outcome(string.Join(';', values.SelectMany(v => v).Select(x => x.ToString("R", CultureInfo.InvariantCulture))), null)
            : new Outcome("", "returned a value that is not finite");
    }

    private static Outcome ScorerOutcome(RerankBatch batch, IStepScorer scorer, RerankContext context)
    {
        var width = batch.MaxCandidates;
        var signature = new StringBuilder();
        using var session = scorer.Begin(batch, context);
        for (var step = 0; step < 2; step++)
        {
            var requests = Enumerable.Range(0, batch.Count).ToArray();
            var rows = new StepRows(step, requests, step == 0 ? [.. requests.Select(_ => -1)] : requests, step == 0 ? [] : [.. requests.Select(_ => 0)]);
            var scores = new float[rows.Count * width];
            session.Score(rows, scores);
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < batch.CandidateCounts[r]; c++)
                {
                    var s = scores[(r * width) + c];
                    if (step == 1 && c == 0)
                    {
                        continue;
                    }

                    if (float.IsNaN(s) || float.IsPositiveInfinity(s))
                    {
                        return new Outcome("", $"step {step}, request {r}, candidate {c}: score {s.ToString(CultureInfo.InvariantCulture)}");
                    }

                    signature.Append(s.ToString("R", CultureInfo.InvariantCulture)).Append(';');
                }
            }
        }

        return new Outcome(signature.ToString(), null);
    }

    private static Outcome DiversifierOutcome(RerankBatch batch, IDiversifier diversifier)
    {
        var signature = new StringBuilder();
        for (var b = 0; b < batch.Count; b++)
        {
            var ranked = new Slate([.. Enumerable.Range(0, batch.CandidateCounts[b])], 0);
            var size = batch.SlateSizes[b];
            var slate = diversifier.Diversify(batch, b, ranked, size);
            if (slate is null || slate.Count != Math.Min(size, ranked.Count))
            {
                return new Outcome("", $"request {b}: returned {slate?.Count ?? 0} items for size {size}");
            }

            if (SlateProblem(slate, batch.CandidateCounts[b], size) is { } problem)
            {
                return new Outcome("", $"request {b}: {problem}");
            }

            Append(signature, slate);
        }

        return new Outcome(signature.ToString(), null);
    }

    private static void Append(StringBuilder signature, Slate slate) =>
        signature.Append(string.Join(',', slate.Indices)).Append(':').Append(slate.Score.ToString("R", CultureInfo.InvariantCulture)).Append(';');

    private static string Describe(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner })
        {
            e = inner;
        }

        var message = string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"{e.GetType().Name}: {message}";
    }

    private sealed record Outcome(string Signature, string? Problem);

    /// <summary>The stand-in scorer decoders run with: each candidate's first prior, highest first (an item score).</summary>
    private sealed class PriorScorer : IStepScorer
    {
        public string Name => "plugins-check-prior";

        public StepScoreKind Kind => StepScoreKind.ItemScore;

        public IStepSession Begin(RerankBatch batch, RerankContext context) => new Session(batch);

        private sealed class Session(RerankBatch batch) : IStepSession
        {
            public void Score(StepRows rows, Span<float> scores)
            {
                var width = batch.MaxCandidates;
                scores.Fill(float.NegativeInfinity);
                for (var r = 0; r < rows.Count; r++)
                {
                    var b = rows.Request[r];
                    var prefix = rows.Prefix(r);
                    for (var c = 0; c < batch.CandidateCounts[b]; c++)
                    {
                        if (!prefix.Contains(c))
                        {
                            scores[(r * width) + c] = batch.PriorCount == 0 ? -c : batch.Priors[batch.CandidateOffset(b, c) * batch.PriorCount];
                        }
                    }
                }
            }

            public void Dispose()
            {
            }
        }
    }
}
