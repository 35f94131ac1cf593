using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.SortGen.Tests.Conformance;

internal static class Params
{
    public const string Tiny = "max_length: 5\nembedding_dim: 4\nposition_dim: 2\nmodel_dim: 8\nheads: 2\nfeed_forward: 16\nhead_hidden: 8\nepochs: 1\nbatch_size: 16";
}

public sealed class GeneratorConformance : Rerank.Conformance.GeneratorConformance
{
    protected override IRerankPlugin Plugin => new SortGenPlugin();

    protected override string Component => "generator";

    protected override string ParamsYaml => Params.Tiny + "\nlambda: 0.7\nwindow: 2";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("generator");
}

public sealed class GeneratorDfsPointwiseConformance : Rerank.Conformance.GeneratorConformance
{
    protected override IRerankPlugin Plugin => new SortGenPlugin();

    protected override string Component => "generator";

    protected override string ParamsYaml => Params.Tiny + "\nloss: pointwise\nfill: dfs\nlambda: 1\nqueues: [ctr, 0.5*ctr + 0.5*ctr*cvr]\nheads_per_queue: 2";
}

public sealed class SortEvaluatorConformance : EvaluatorConformance
{
    protected override IRerankPlugin Plugin => new SortGenPlugin();

    protected override string Component => "sort";

    protected override string ParamsYaml => Params.Tiny + "\nalpha: 2\nbeta: 1\ngamma: 0.5";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("sort");
}

public sealed class PrefixValueConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new SortGenPlugin();

    protected override string Component => "prefix_value";

    protected override string ParamsYaml => Params.Tiny;

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("prefix_value");
}

public sealed class TemplateConformance : Rerank.Conformance.GeneratorConformance
{
    protected override IRerankPlugin Plugin => new SortGenPlugin();

    protected override string Component => "template";

    protected override string ParamsYaml => "pattern: [0, 2, 1]\nfill: dfs";
}

public sealed class FormulaConformance : Rerank.Conformance.GeneratorConformance
{
    protected override IRerankPlugin Plugin => new SortGenPlugin();

    protected override string Component => "formula";

    protected override string ParamsYaml => "ctr_exponent: 1\ncvr_exponent: 0.5\nprice_exponent: 0.2";
}
