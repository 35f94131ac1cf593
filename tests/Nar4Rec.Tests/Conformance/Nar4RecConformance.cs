using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Nar4Rec.Tests.Conformance;

internal static class Tiny
{
    public const string Generator = "dimension: 8\nheads: 2\nfeed_forward: 16\nfield_width: 4\nepochs: 1\nbatch_size: 16";
}

public sealed class GeneratorScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new Nar4RecPlugin();

    protected override string Component => "generator";

    protected override string ParamsYaml => Tiny.Generator;

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("generator");
}

public sealed class GeneratorConformanceTests : GeneratorConformance
{
    protected override IRerankPlugin Plugin => new Nar4RecPlugin();

    protected override string Component => "generator";

    protected override string ParamsYaml => Tiny.Generator + "\nalphas: [0.0, 0.3, 0.6, 0.9]";
}

public sealed class ContrastiveDecoderConformance : DecoderConformance
{
    protected override IRerankPlugin Plugin => new Nar4RecPlugin();

    protected override string Component => "contrastive";

    protected override string ParamsYaml => "alphas: [0.0, 0.2, 0.5, 0.8]";
}

public sealed class ContrastiveEmbeddingsDecoderConformance : DecoderConformance
{
    protected override IRerankPlugin Plugin => new Nar4RecPlugin();

    protected override string Component => "contrastive";

    protected override string ParamsYaml => "alphas: [0.1]\nsimilarity: embeddings";
}

public sealed class SequenceEvaluatorConformance : EvaluatorConformance
{
    protected override IRerankPlugin Plugin => new Nar4RecPlugin();

    protected override string Component => "evaluator";

    protected override string ParamsYaml => "dimension: 8\nheads: 2\nfeed_forward: 16\nfield_width: 4\nepochs: 1\nbatch_size: 16";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("evaluator");
}
