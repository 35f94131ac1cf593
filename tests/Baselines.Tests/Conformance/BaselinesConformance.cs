using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Plugins.Baselines;

namespace Rerank.Plugins.Baselines.Tests.Conformance;

public sealed class InitialConformance : GeneratorConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "initial";

    protected override SlateChecks.Length SlateLength => SlateChecks.Length.AtLeastL;
}

public sealed class InitialSlateConformance : GeneratorConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "initial";

    protected override string ParamsYaml => "prior: cvr\nlength: slate";
}

public sealed class RandomConformance : GeneratorConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "random";
}

public sealed class PriorScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "prior";

    protected override string ParamsYaml => "transform: log";
}

public sealed class OracleScorerConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "oracle";
}

public sealed class OracleEvaluatorConformance : EvaluatorConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "oracle";
}

public sealed class GreedyConformance : DecoderConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "greedy";
}

public sealed class BeamConformance : DecoderConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "beam";

    protected override string ParamsYaml => "width: 3\ntop_k: 2";
}

public sealed class WideBeamConformance : DecoderConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "beam";

    protected override string ParamsYaml => "width: 8";
}

public sealed class TopKSamplingConformance : DecoderConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "top_k_sampling";

    protected override string ParamsYaml => "k: 3\ntemperature: 0.7";
}

public sealed class MmrConformance : DiversifierConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "mmr";

    protected override string ParamsYaml => "lambda: 0.7";
}

public sealed class MmrWindowConformance : DiversifierConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "mmr";

    protected override string ParamsYaml => "lambda: 0.4\nwindow: 2\nprior: cvr";
}

public sealed class DppConformance : DiversifierConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "dpp";

    protected override string ParamsYaml => "theta: 0.6";
}

public sealed class DppWindowConformance : DiversifierConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "dpp";

    protected override string ParamsYaml => "theta: 0.3\nwindow: 2";
}
