using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Baselines.Tests.Scorers.OneStage;

public sealed class DnnScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "dnn";

    protected override string ParamsYaml => "epochs: 1\nhidden: 16\nbatch_size: 16";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("dnn");
}

public sealed class DcnScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "dcn";

    protected override string ParamsYaml => "epochs: 1\nhidden: 16\nbatch_size: 16\ncross_layers: 2";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("dcn");
}

public sealed class DlcmScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "dlcm";

    protected override string ParamsYaml => "epochs: 1\nhidden: 16\nbatch_size: 16";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("dlcm");
}

public sealed class PrmScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "prm";

    protected override string ParamsYaml => "epochs: 1\nhidden: 16\nbatch_size: 16\nlayers: 1";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("prm");
}

public sealed class SetRankScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "setrank";

    protected override string ParamsYaml => "epochs: 1\nhidden: 16\nbatch_size: 16\nlayers: 1\ninducing: 4";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("setrank");
}
