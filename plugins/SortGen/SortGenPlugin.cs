using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>SORT-Gen (SIGIR'25): the SORT evaluator and step scorer, the mask-driven one-pass generator, and its baselines.</summary>
public sealed class SortGenPlugin : IRerankPlugin
{
    /// <inheritdoc />
    public string Id => "sortgen";

    /// <inheritdoc />
    public string Version => "1.0.0";

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddGenerator<SortGenOptions>("generator", static (o, c) => new SortGenGenerator(o, c), "SORT-Gen: objective queues, one-pass mask-driven selection by SORT's list value (eq. 1) with integrated MMR (eq. 6).")
            .AddEvaluator<SortEvaluatorOptions>("sort", static (o, c) => new SortEvaluator(o, c), "SORT list value α·V_click + β·V_conversion + γ·V_GMV from ordered-regression heads (eq. 1–5).")
            .AddScorer<PrefixValueOptions>("prefix_value", static (o, c) => new PrefixValueScorer(o, c), "SORT value V([S, i]) of every remaining candidate, for greedy or beam decoders.")
            .AddGenerator<TemplateOptions>("template", static (o, c) => new TemplateGenerator(o, c.ComponentName), "Objective queues cross-distributed by a fixed pattern, no model (Table 2 ablation).")
            .AddGenerator<FormulaOptions>("formula", static (o, c) => new FormulaGenerator(o, c.ComponentName), "Greedy sort by CTR^a · CVR^b · price^c.");
    }
}
