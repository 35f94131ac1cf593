using Rerank.Abstractions;
using Rerank.Host.Configuration;
using Rerank.Host.Pipelines;
using Rerank.Host.Tests.Serving;

namespace Rerank.Host.Tests.Plugins;

public sealed class ComponentFactoryTests
{
    private static readonly SourceLocation At = new("p.yaml", 1, 1);

    [Fact]
    public void Build_SameComponentWithCheckpointsInDifferentFolders_GetsTheSameSeed()
    {
        // An experiment's relative checkpoint path resolves to a different absolute path in every clone; the weights a
        // component trains must not depend on it.
        var errors = new List<ConfigError>();
        var a = new ComponentFactory(ServingHarness.InProcessCatalog(), null, 7).Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/learned", null, "/clone-a/out/w.txt", At), errors);
        var b = new ComponentFactory(ServingHarness.InProcessCatalog(), null, 7).Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/learned", null, "/clone-b/out/w.txt", At), errors);
        var none = new ComponentFactory(ServingHarness.InProcessCatalog(), null, 7).Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/learned", null, null, At), errors);

        errors.ShouldBeEmpty();
        b!.Seed.ShouldBe(a!.Seed);
        none!.Seed.ShouldBe(a.Seed);
    }

    [Fact]
    public void Build_DifferentComponentsOrExperimentSeeds_GetDifferentSeeds()
    {
        var errors = new List<ConfigError>();
        var factory = new ComponentFactory(ServingHarness.InProcessCatalog(), null, 7);
        var v1 = factory.Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/order", null, null, At), errors)!;
        var v2 = factory.Build(ComponentKind.Generator, new ComponentSpec("probe@1.1.0/order", null, null, At), errors)!;
        var other = new ComponentFactory(ServingHarness.InProcessCatalog(), null, 8).Build(ComponentKind.Generator, new ComponentSpec("probe@1.0.0/order", null, null, At), errors)!;

        errors.ShouldBeEmpty();
        v2.Seed.ShouldNotBe(v1.Seed);
        other.Seed.ShouldNotBe(v1.Seed);
    }
}
