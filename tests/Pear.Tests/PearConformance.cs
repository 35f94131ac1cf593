using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Pear.Tests;

public sealed class PearScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new PearPlugin();

    protected override string Component => "pear";

    protected override string ParamsYaml => "epochs: 1\nhidden: 16\ninteraction_hidden: 16\nbatch_size: 16";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("pear");
}

public sealed class PearDcnScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new PearPlugin();

    protected override string Component => "pear";

    protected override string ParamsYaml => "epochs: 1\nhidden: 16\nbatch_size: 16\ninteraction: dcn\nhistory_length: 4";
}

public sealed class PearNoHistoryPositionsScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new PearPlugin();

    protected override string Component => "pear";

    protected override string ParamsYaml => "epochs: 1\nhidden: 16\ninteraction_hidden: 16\nbatch_size: 16\nhistory_length: 8\nhistory_positions: false";
}

public sealed class PearHistoryPositionsInteractionScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new PearPlugin();

    protected override string Component => "pear";

    protected override string ParamsYaml =>
        "epochs: 1\nhidden: 16\ninteraction_hidden: 16\nbatch_size: 16\nhistory_length: 8\nhistory_positions: true\nhistory_position_site: interaction";
}

public sealed class PearEvaluatorConformance : EvaluatorConformance
{
    protected override IRerankPlugin Plugin => new PearPlugin();

    protected override string Component => "list";

    protected override string ParamsYaml => "epochs: 1\nhidden: 16\ninteraction_hidden: 16\nbatch_size: 16";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("list");
}
