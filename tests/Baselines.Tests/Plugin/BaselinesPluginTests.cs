using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Baselines.Tests.Plugin;

public sealed class BaselinesPluginTests
{
    [Theory]
    [InlineData(ComponentKind.Generator, new[] { "initial", "random" })]
    [InlineData(ComponentKind.Scorer, new[] { "prior", "oracle", "seq2slate", "dnn", "dcn", "dlcm", "prm", "setrank" })]
    [InlineData(ComponentKind.Evaluator, new[] { "oracle" })]
    [InlineData(ComponentKind.Decoder, new[] { "greedy", "beam", "top_k_sampling" })]
    [InlineData(ComponentKind.Diversifier, new[] { "mmr", "dpp" })]
    public void Register_EachKind_RegistersItsComponents(ComponentKind kind, string[] names)
    {
        ComponentBuilder.Names(new BaselinesPlugin(), kind).ShouldBe(names);
    }

    [Theory]
    [InlineData(ComponentKind.Decoder, "beam", "width: 0", "params.width: must be in [1, 1024], got 0")]
    [InlineData(ComponentKind.Decoder, "beam", "width: 2147483647", "params.width: must be in [1, 1024], got 2147483647")]
    [InlineData(ComponentKind.Decoder, "beam", "top_k: -2", "params.top_k: must be in [0, 1024], got -2")]
    [InlineData(ComponentKind.Decoder, "top_k_sampling", "k: 0", "params.k: must be in [1, 1024], got 0")]
    [InlineData(ComponentKind.Decoder, "top_k_sampling", "temperature: 0", "params.temperature: must be in (0, 1000], got 0")]
    [InlineData(ComponentKind.Diversifier, "mmr", "lambda: 1.5", "params.lambda: must be in [0, 1], got 1.5")]
    [InlineData(ComponentKind.Diversifier, "mmr", "window: -1", "params.window: must be in [0, 10000], got -1")]
    [InlineData(ComponentKind.Diversifier, "dpp", "theta: 1", "params.theta: must be in [0, 1), got 1")]
    [InlineData(ComponentKind.Diversifier, "dpp", "epsilon: 0", "params.epsilon: must be in (0, 1], got 0")]
    [InlineData(ComponentKind.Scorer, "prior", "prior: ''", "prior must name one of the schema's priors")]
    [InlineData(ComponentKind.Scorer, "prior", "transform: sqrt", "transform: 'sqrt' is not one of raw, log")]
    [InlineData(ComponentKind.Decoder, "greedy", "width: 2", "unknown key 'width'")]
    public void Options_BadValue_ErrorNamesTheKey(ComponentKind kind, string name, string yaml, string message)
    {
        var error = Should.Throw<InvalidOperationException>(() => Build(kind, name, yaml));

        error.Message.ShouldContain(message);
    }

    private static IComponent Build(ComponentKind kind, string name, string yaml) => kind switch
    {
        ComponentKind.Decoder => Tiny.Build<IDecoder>(name, yaml),
        ComponentKind.Diversifier => Tiny.Build<IDiversifier>(name, yaml),
        ComponentKind.Scorer => Tiny.Build<IStepScorer>(name, yaml),
        ComponentKind.Evaluator => Tiny.Build<IEvaluator>(name, yaml),
        _ => Tiny.Build<IGenerator>(name, yaml),
    };
}
