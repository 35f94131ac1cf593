using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins;

public sealed class ComponentFactoryTests
{
    private static readonly SourceLocation At = new("p.yaml", 1, 1);

    [Fact]
    public void Build_SameComponentWithCheckpointsInDifferentFolders_GetsTheSameSeed()
    {
        // An experiment's relative checkpoint path resolves to a different absolute path in every clone; the weights a
        // component trains must not depend on it.
        var errors = new List<ConfigError>();
        var a = new ComponentFactory(ProbePlugin.Catalog(), null, 7).Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/learned", null, "/clone-a/out/w.txt", At), errors);
        var b = new ComponentFactory(ProbePlugin.Catalog(), null, 7).Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/learned", null, "/clone-b/out/w.txt", At), errors);
        var none = new ComponentFactory(ProbePlugin.Catalog(), null, 7).Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/learned", null, null, At), errors);

        errors.ShouldBeEmpty();
        b!.Seed.ShouldBe(a!.Seed);
        none!.Seed.ShouldBe(a.Seed);
    }

    [Fact]
    public void Build_DifferentComponentsOrExperimentSeeds_GetDifferentSeeds()
    {
        var errors = new List<ConfigError>();
        var factory = new ComponentFactory(ProbePlugin.Catalog(), null, 7);
        var v1 = factory.Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/order", null, null, At), errors)!;
        var v2 = factory.Build(ComponentKind.Generator, new ComponentSpec("probe@1.1.0/order", null, null, At), errors)!;
        var other = new ComponentFactory(ProbePlugin.Catalog(), null, 8).Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/order", null, null, At), errors)!;

        errors.ShouldBeEmpty();
        v2.Seed.ShouldNotBe(v1.Seed);
        other.Seed.ShouldNotBe(v1.Seed);
    }

    [Fact]
    public void Build_TrainingSeedParam_DrawsAnotherSeedAndLeavesTheDefaultParamsTextAlone()
    {
        // The shared training settings (epochs, batch_size, learning_rate, weight_decay, seed) sit at the component's level;
        // unset ones stay out of its params text, so components built before they existed keep their seeds.
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));
        var factory = new ComponentFactory(catalog, null, 7);
        var errors = new List<ConfigError>();

        var plain = factory.Build(ComponentKind.Scorer, new ComponentSpec("baselines@^1.0/dnn", Params("epochs", "2"), null, At), errors)!;
        var seeded = factory.Build(ComponentKind.Scorer, new ComponentSpec("baselines@^1.0/dnn", Params("epochs", "2", "seed", "12"), null, At), errors)!;

        errors.ShouldBeEmpty();
        plain.ParamsYaml.ShouldStartWith("epochs: 2\nbatch_size: 64\nlearning_rate: 0.001\nembedding_dim: 8\n");
        seeded.ParamsYaml.ShouldStartWith("epochs: 2\nbatch_size: 64\nlearning_rate: 0.001\nseed: 12\nembedding_dim: 8\n");
        seeded.Seed.ShouldNotBe(plain.Seed);
        seeded.Instance.ShouldNotBeSameAs(plain.Instance);
    }

    [Fact]
    public void Build_ExecutionSetting_KeepsSeedAndCheckpointName_ButGetsItsOwnInstance()
    {
        // cuda_graphs says how the NAR4Rec models run, not what they are: left unset it is not in the params text (so
        // components built before it existed keep their seeds); set, it changes neither the seed nor the checkpoint file.
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));
        var factory = new ComponentFactory(catalog, null, 7);
        var errors = new List<ConfigError>();

        var plain = factory.Build(ComponentKind.Evaluator, new ComponentSpec("nar4rec@^1.0/evaluator", Params("epochs", "2"), null, At), errors)!;
        var graphs = factory.Build(ComponentKind.Evaluator, new ComponentSpec("nar4rec@^1.0/evaluator", Params("epochs", "2", "cuda_graphs", "true"), null, At), errors)!;

        errors.ShouldBeEmpty();
        plain.ParamsYaml.ShouldNotContain("cuda_graphs");
        graphs.ParamsYaml.ShouldContain("cuda_graphs: true");
        graphs.IdentityYaml.ShouldBe(plain.ParamsYaml);
        graphs.Seed.ShouldBe(plain.Seed);
        graphs.CheckpointFileName.ShouldBe(plain.CheckpointFileName);
        graphs.Instance.ShouldNotBeSameAs(plain.Instance);
    }

    [Fact]
    public void Resolve_WithParams_SameInstanceAsAStageWithThoseParams()
    {
        // A teacher resolved by reference and params (DeGRe's generator) must be the very instance an experiment's stage
        // with the same params builds, so it is trained once; other params give another instance.
        var errors = new List<ConfigError>();
        var factory = new ComponentFactory(ProbePlugin.Catalog(), null, 7);
        var slow = Params("delay_ms", "5");
        var stage = factory.Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/slow", slow, null, At), errors)!;
        var byDefault = factory.Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/slow", null, null, At), errors)!;

        errors.ShouldBeEmpty();
        factory.Resolve<IGenerator>("probe@1.0.0/slow", Params("delay_ms", "5")).ShouldBeSameAs(stage.Instance);
        factory.Resolve<IGenerator>("probe@1.0.0/slow").ShouldBeSameAs(byDefault.Instance);
        factory.Resolve<IGenerator>("probe@1.0.0/slow", Params("delay_ms", "6")).ShouldNotBeSameAs(stage.Instance);
    }

    [Fact]
    public void Resolve_UnknownParam_ErrorNamesTheKey()
    {
        var factory = new ComponentFactory(ProbePlugin.Catalog(), null, 7);
        Should.Throw<ConfigException>(() => factory.Resolve<IGenerator>("probe@1.0.0/slow", Params("delay", "5"))).Message.ShouldContain("delay");
    }

    private static ParamMapping Params(params string[] keysAndValues) =>
        new([.. keysAndValues.Chunk(2).Select(kv => new ParamEntry(kv[0], At, new ParamScalar(kv[1], At)))], At);
}
