using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Baseline generators, scorers, decoders, diversifiers and evaluators.</summary>
public sealed class BaselinesPlugin : IRerankPlugin
{
    /// <inheritdoc />
    public string Id => "baselines";

    /// <inheritdoc />
    public string Version => "1.0.0";

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddGenerator<InitialOptions>("initial", static (o, c) => new InitialGenerator(o, c.ComponentName), "The ranking stage's order: candidates sorted by a prior.")
            .AddGenerator<RandomOptions>("random", static (_, c) => new RandomGenerator(c.ComponentName), "K uniformly random distinct slates per request (seeded per request).")
            .AddScorer<PriorScorerOptions>("prior", static (o, c) => new PriorScorer(o, c.ComponentName), "Static item score from a prior (raw or log); ignores the prefix.")
            .AddScorer<OracleScorerOptions>("oracle", static (_, c) => new OracleScorer(c.ComponentName), "True expected utility of prefix + candidate (simulator data only).")
            .AddScorer<Seq2SlateOptions>("seq2slate", static (o, c) => new Seq2SlateScorer(o, c), "Seq2Slate (Bello et al. 2018): transformer pointer network, autoregressive with cached keys/values; trained on positive logged lists.")
            .AddScorer<DnnOptions>("dnn", static (o, c) => new ListScorer(c, o, (s, r) => new DnnModel(s, o, r)), "DNN: point-wise MLP over user ⊕ item, click BCE (trained).")
            .AddScorer<DcnOptions>("dcn", static (o, c) => new ListScorer(c, o, (s, r) => new DcnModel(s, o, r)), "DCN: deep & cross network over user ⊕ item, click BCE (trained).")
            .AddScorer<DlcmOptions>("dlcm", static (o, c) => new ListScorer(c, o, (s, r) => new DlcmModel(s, o, r)), "DLCM: GRU over the initial list, attention rank loss (trained).")
            .AddScorer<PrmOptions>("prm", static (o, c) => new ListScorer(c, o, (s, r) => new PrmModel(s, o, r)), "PRM: Transformer with position embedding and a personalized vector, softmax loss (trained).")
            .AddScorer<SetRankOptions>("setrank", static (o, c) => new ListScorer(c, o, (s, r) => new SetRankModel(s, o, r)), "SetRank: induced multi-head self-attention, permutation-invariant, attention rank loss (trained).")
            .AddEvaluator<OracleEvaluatorOptions>("oracle", static (_, c) => new OracleEvaluator(c.ComponentName), "True expected utility of each slate (simulator data only).")
            .AddDecoder<GreedyOptions>("greedy", static (_, c) => new GreedyDecoder(c.ComponentName), "Best step gain at each position; one slate.")
            .AddDecoder<BeamOptions>("beam", static (o, c) => new BeamDecoder(o, c.ComponentName), "Beam search (width B, per-beam top_k pre-truncation), batched expansion scoring.")
            .AddDecoder<TopKSamplingOptions>("top_k_sampling", static (o, c) => new TopKSamplingDecoder(o, c.ComponentName), "K distinct slates sampled among the k best candidates per step (temperature).")
            .AddDiversifier<MmrOptions>("mmr", static (o, c) => new MmrDiversifier(o, c.ComponentName), "Maximal marginal relevance over embedding cosine similarity, sliding window.")
            .AddDiversifier<DppOptions>("dpp", static (o, c) => new DppDiversifier(o, c.ComponentName), "DPP greedy MAP (incremental Cholesky), relevance-diversity trade-off theta.");
    }
}
