using System.Runtime.CompilerServices;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins;

public sealed class PluginCatalogTests
{
    private static readonly SourceLocation At = new("pipeline.yaml", 3, 12);

    [Theory]
    [InlineData("greeter@^1/greet", "1.0.0")]
    [InlineData("greeter@^1.0/greet", "1.0.0")]
    [InlineData("greeter@~1.0/greet", "1.0.0")]
    [InlineData("greeter@[1.0,2.0)/greet", "1.0.0")]
    [InlineData("greeter@^2/greet", "2.0.0")]
    [InlineData("greeter@>=1.0/greet", "2.0.0")]
    [InlineData("greeter/greet", "2.0.0")]
    [InlineData("greet", "2.0.0")]
    public void Resolve_RangeOverSideBySideVersions_PicksTheHighestInRange(string text, string expected)
    {
        using var catalog = new PluginLoader().LoadFolder(FixturePlugins.Folder);

        var errors = new List<ConfigError>();
        var registration = catalog.Resolve(ComponentKind.Generator, ComponentReference.Parse(text, At, errors)!, At, errors);

        errors.ShouldBeEmpty();
        registration!.Reference.ShouldBe($"greeter@{expected}/greet");
    }

    [Fact]
    public void Resolve_NoVersionInRange_ListsLoadedVersions()
    {
        using var catalog = new PluginLoader().LoadFolder(FixturePlugins.Folder);

        var errors = new List<ConfigError>();
        catalog.Resolve(ComponentKind.Generator, ComponentReference.Parse("greeter@^3/greet", At, errors)!, At, errors).ShouldBeNull();

        errors.Single().ToString().ShouldBe("pipeline.yaml:3:12: no version of plugin 'greeter' matches '^3'; loaded versions: 1.0.0, 2.0.0");
    }

    [Fact]
    public void Resolve_PluginThatFailedToLoad_SaysWhy()
    {
        using var catalog = new PluginLoader().LoadFolder(FixturePlugins.Folder);

        var errors = new List<ConfigError>();
        catalog.Resolve(ComponentKind.Generator, ComponentReference.Parse("throwing/never", At, errors)!, At, errors).ShouldBeNull();

        errors.Single().Message.ShouldBe("plugin 'throwing' failed to load: plugin 'throwing' 1.0.0: Register threw InvalidOperationException: fixture failure: the model file is missing");
    }

    [Fact]
    public void Resolve_UnknownPlugin_ListsLoadedOnes()
    {
        using var catalog = new PluginLoader().LoadFolder(FixturePlugins.Folder);

        var errors = new List<ConfigError>();
        catalog.Resolve(ComponentKind.Generator, ComponentReference.Parse("nar4rec@^1/gen", At, errors)!, At, errors).ShouldBeNull();

        errors.Single().Message.ShouldBe("unknown plugin 'nar4rec'; loaded plugins: greeter@1.0.0, greeter@2.0.0, privatedep@1.0.0, throwing-component@1.0.0");
    }

    [Fact]
    public void Resolve_WrongKind_ListsThePluginsComponentsOfThatKind()
    {
        using var catalog = new PluginLoader().LoadFolder(FixturePlugins.Folder);

        var errors = new List<ConfigError>();
        catalog.Resolve(ComponentKind.Evaluator, ComponentReference.Parse("greeter@^1/greet", At, errors)!, At, errors).ShouldBeNull();

        errors.Single().Message.ShouldBe("plugin 'greeter@1.0.0' has no evaluator 'greet'; its evaluators: (none)");
    }

    [Fact]
    public void Resolve_AfterDispose_Throws()
    {
        var catalog = new PluginLoader().LoadFolder(FixturePlugins.Folder);
        catalog.Dispose();
        catalog.Dispose();

        var errors = new List<ConfigError>();
        Should.Throw<ObjectDisposedException>(() => catalog.Resolve(ComponentKind.Generator, new ComponentReference(null, null, null, "greet"), At, errors));
    }

    [Fact]
    public void Dispose_AfterAPipelineRan_LoadContextIsCollected()
    {
        var context = LoadRunAndDispose();

        // Unloading is cooperative: the context goes once the GC finds nothing referencing it or its types.
        for (var i = 0; context.IsAlive && i < 20; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        context.IsAlive.ShouldBeFalse("the greeter 1.0.0 load context is still alive after the catalog was disposed");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadRunAndDispose()
    {
        var catalog = new PluginCatalog([new PluginLoader().LoadPlugin(FixturePlugins.Of("greeter", "1.0.0"))]);
        var plugin = catalog.Plugins.Single();
        plugin.Status.ShouldBe(PluginLoadStatus.Loaded, plugin.Error);
        var context = new WeakReference(plugin.LoadContext);

        var errors = new List<ConfigError>();
        var yaml = "name: hello\nstages:\n  - generate:\n      use: greeter@^1/greet\n      params: { rotate: 1 }\n  - truncate: {}\n";
        var spec = PipelineParser.ParseText(yaml, "hello.yaml", Path.GetTempPath(), errors);
        var pipeline = PipelineCompiler.Compile(spec!, new ComponentFactory(catalog, null, 7), errors);
        errors.ShouldBeEmpty();
        var run = pipeline!.Run(FixturePlugins.Batch(2, 5, 6, 7), new RerankContext(7));
        run.Slates[0].Indices.ShouldBe([1, 2]);

        catalog.Dispose();
        return context;
    }
}
