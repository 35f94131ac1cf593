using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.DeGRe.Tests.Conformance;

internal static class Tiny
{
    public const string Evaluator = "layers: 1\nmodel_width: 16\nheads: 2\nepochs: 2\nbatch_size: 16";

    public const string Generator = "layers: 1\nmodel_width: 16\nheads: 2\nepochs: 2\nbatch_size: 8\nbeam_width: 2";
}

public sealed class EvaluatorConformance : Rerank.Conformance.EvaluatorConformance
{
    protected override IRerankPlugin Plugin => new DeGRePlugin();

    protected override string Component => "evaluator";

    protected override string ParamsYaml => Tiny.Evaluator;

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("evaluator");
}

public sealed class EvaluatorScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new DeGRePlugin();

    protected override string Component => "evaluator";

    protected override string ParamsYaml => Tiny.Evaluator;
}

public sealed class ListContextEvaluatorConformance : Rerank.Conformance.EvaluatorConformance
{
    protected override IRerankPlugin Plugin => new DeGRePlugin();

    protected override string Component => "evaluator";

    protected override string ParamsYaml => Tiny.Evaluator + "\nlist_context: true";
}

public sealed class ListContextScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new DeGRePlugin();

    protected override string Component => "evaluator";

    protected override string ParamsYaml => Tiny.Evaluator + "\nlist_context: true";
}

public sealed class DnnConformance : Rerank.Conformance.EvaluatorConformance
{
    protected override IRerankPlugin Plugin => new DeGRePlugin();

    protected override string Component => "dnn";

    protected override string ParamsYaml => "hidden: 16\nepochs: 2\nbatch_size: 16";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("dnn");
}

public sealed class GeneratorConformance : Rerank.Conformance.GeneratorConformance
{
    protected override IRerankPlugin Plugin => new DeGRePlugin();

    protected override string Component => "generator";

    protected override string ParamsYaml => Tiny.Generator;

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("generator");
}

public sealed class ExtendedGeneratorConformance : Rerank.Conformance.GeneratorConformance
{
    protected override IRerankPlugin Plugin => new DeGRePlugin();

    protected override string Component => "generator";

    protected override string ParamsYaml => Tiny.Generator + "\nlist_context: true\nhistory_affinity: true\nteacher_params: { layers: 1, model_width: 16, heads: 2, epochs: 1, list_context: true, history_affinity: true }";
}

public sealed class GeneratorScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new DeGRePlugin();

    protected override string Component => "generator";

    protected override string ParamsYaml => Tiny.Generator + "\nsupervision: exposure";
}
