using Microsoft.CodeAnalysis;
using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Docs.Tests.Support;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;

namespace Rerank.Docs.Tests;

/// <summary>
/// docs/plugin-authors.md works as written: its C# blocks compile as a plugin (against the framework, the contracts and
/// the engine only) and its test project, show every contract, register through the host's catalog, build with default
/// params, run on synthetic requests, and pass the conformance suites the page derives from.
/// </summary>
public sealed class PluginAuthorsPageTests
{
    private const ulong Seed = 7;
    private static readonly SyntheticData Data = new();

    private static DocsPage Page => DocsPage.Instance;

    [Fact]
    public void Snippets_Compile_NoWarningsOrErrors()
    {
        Page.Snippets.ShouldNotBeEmpty($"{DocsPage.RelativePath} has no ```csharp block");

        var problems = SnippetCompiler.Problems(Page.PluginCompilation).Concat(SnippetCompiler.Problems(Page.TestCompilation)).ToList();

        problems.ShouldBeEmpty($"the C# blocks of {DocsPage.RelativePath} must compile as a plugin and its test project, as a reader copies them:\n{string.Join("\n", problems)}\n");
    }

    [Theory]
    [InlineData(typeof(IRerankPlugin))]
    [InlineData(typeof(IDiversifier))]
    [InlineData(typeof(IStepScorer))]
    [InlineData(typeof(IDecoder))]
    [InlineData(typeof(IEvaluator))]
    [InlineData(typeof(IGenerator))]
    [InlineData(typeof(ITrainable))]
    public void Snippets_EveryContract_HasAnExample(Type contract)
    {
        var symbol = Page.PluginCompilation.GetTypeByMetadataName(contract.FullName!);
        symbol.ShouldNotBeNull();

        var examples = Types(Page.PluginCompilation.Assembly.GlobalNamespace)
            .Where(t => !t.IsAbstract && t.AllInterfaces.Contains(symbol, SymbolEqualityComparer.Default))
            .ToList();

        examples.ShouldNotBeEmpty($"{DocsPage.RelativePath} must show a complete {contract.Name} (a class implementing it in a ```csharp block)");
    }

    [Fact]
    public void Plugin_RegisteredThroughTheCatalog_EveryComponentBuildsWithDefaultParams()
    {
        var plugin = EntryPoint();
        using var catalog = PluginCatalog.FromPlugins(plugin);
        var loaded = catalog.Plugins.ShouldHaveSingleItem();
        loaded.Status.ShouldBe(PluginLoadStatus.Loaded, loaded.Error);
        loaded.Components.Select(c => c.Kind).Distinct().Order().ToArray().ShouldBe(Enum.GetValues<ComponentKind>(), "the page's plugin registers a component of every kind");
        var factory = new ComponentFactory(catalog, Data.Schema, Seed);

        foreach (var registration in loaded.Components)
        {
            var errors = new List<ConfigError>();
            var built = factory.Build(registration.Kind, Spec(plugin, registration.Name), errors);

            built.ShouldNotBeNull($"{registration.Reference}: {string.Join("; ", errors)}");
            ComponentKinds.ContractOf(registration.Kind).IsInstanceOfType(built.Instance).ShouldBeTrue(registration.Reference);
            built.Instance.Name.ShouldBe(registration.Name);
        }
    }

    [Fact]
    public void Components_SyntheticBatch_ValidSlatesAndFiniteValues()
    {
        var plugin = EntryPoint();
        using var catalog = PluginCatalog.FromPlugins(plugin);
        var factory = new ComponentFactory(catalog, Data.Schema, Seed);
        var components = catalog.Plugins.Single().Components;
        T First<T>()
            where T : class, IComponent => (T)factory.Build(ComponentKinds.KindOf(typeof(T))!.Value, Spec(plugin, components.First(c => ComponentKinds.ContractOf(c.Kind) == typeof(T)).Name), [])!.Instance;
        var batch = RerankBatch.Create(Data.Schema, Data.Requests(8, Seed));
        var context = new RerankContext(Seed);

        var diversifier = First<IDiversifier>();
        for (var b = 0; b < batch.Count; b++)
        {
            var ranked = new Slate([.. Enumerable.Range(0, batch.CandidateCounts[b])], 0);
            var slate = diversifier.Diversify(batch, b, ranked, batch.SlateSizes[b]);
            SlateChecks.CheckOne($"{diversifier.Name}, request {b}", slate.Indices, batch.CandidateCounts[b], batch.SlateSizes[b], SlateChecks.Length.ExactlyL);
        }

        var decoded = First<IDecoder>().Decode(batch, First<IStepScorer>(), diversifier, 4, context);
        SlateChecks.Check("decoder with scorer and diversifier", batch, decoded, 4, SlateChecks.Length.ExactlyL);
        var generated = First<IGenerator>().Generate(batch, 4, context);
        SlateChecks.Check("generator", batch, generated, 4, SlateChecks.Length.ExactlyL);

        var values = First<IEvaluator>().Evaluate(batch, [.. decoded.Zip(generated, (d, g) => (IReadOnlyList<Slate>)[d[0], g[0]])], context);

        values.Length.ShouldBe(batch.Count);
        values.ShouldAllBe(v => v.Length == 2 && v.All(double.IsFinite));
    }

    [Fact]
    public void TrainableComponent_TrainSaveLoad_SameSlates()
    {
        var plugin = EntryPoint();
        using var catalog = PluginCatalog.FromPlugins(plugin);
        var factory = new ComponentFactory(catalog, Data.Schema, Seed);
        var trainable = catalog.Plugins.Single().Components
            .Select(c => factory.Build(c.Kind, Spec(plugin, c.Name), [])!.Instance)
            .FirstOrDefault(c => c is ITrainable and IStepScorer);
        trainable.ShouldNotBeNull("the page's trainable component is a step scorer");
        var scorer = (IStepScorer)trainable;
        var batch = RerankBatch.Create(Data.Schema, Data.Requests(6, Seed));

        var result = ((ITrainable)scorer).Train(Data.Training(32, Seed), new TrainingContext(Seed));

        result.Curve.ShouldNotBeEmpty();
        result.Curve.ShouldAllBe(e => double.IsFinite(e.TrainLoss));
        var expected = ConformanceGreedy(batch, scorer);
        SlateChecks.Check(scorer.Name, batch, expected, 1, SlateChecks.Length.ExactlyL);
        var path = Path.Combine(Path.GetTempPath(), $"rerank-docs-{Guid.NewGuid():N}.safetensors");
        try
        {
            ((ITrainable)scorer).Save(path);
            var fresh = (IStepScorer)new ComponentFactory(catalog, Data.Schema, Seed).Build(ComponentKind.Scorer, Spec(plugin, scorer.Name), [])!.Instance;
            ((ITrainable)fresh).Load(path);

            ConformanceGreedy(batch, fresh).Select(s => s[0].Indices).ShouldBe(expected.Select(s => s[0].Indices));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ConformanceClasses_OnThePage_CoverEveryComponentAndPass()
    {
        var registered = PluginCatalog.FromPlugins(EntryPoint()).Plugins.Single().Components.Select(c => (c.Kind, c.Name)).ToList();
        var suites = Page.Tests.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && ContractOf(t) is not null).ToList();

        var covered = suites.Select(t => (ComponentKinds.KindOf(ContractOf(t)!)!.Value, ComponentOf(t))).ToList();
        registered.Where(r => !covered.Contains(r)).ShouldBeEmpty($"every component the page's plugin registers has a conformance class on the page");

        var runs = suites.Select(SuiteRunner.Run).ToList();
        runs.Sum(r => r.Ran).ShouldBeGreaterThan(suites.Count);
        var failures = runs.SelectMany(r => r.Failures).ToList();
        failures.ShouldBeEmpty($"the page's conformance classes must pass:\n{string.Join("\n", failures)}\n");
    }

    private static IRerankPlugin EntryPoint()
    {
        var entries = Page.Plugin.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && typeof(IRerankPlugin).IsAssignableFrom(t)).ToList();
        entries.Count.ShouldBe(1, "a plugin assembly has exactly one public IRerankPlugin");
        return (IRerankPlugin)Activator.CreateInstance(entries[0])!;
    }

    private static ComponentSpec Spec(IRerankPlugin plugin, string name) =>
        new($"{plugin.Id}@{plugin.Version}/{name}", null, null, new SourceLocation(DocsPage.RelativePath, 1, 1));

    private static IReadOnlyList<Slate>[] ConformanceGreedy(RerankBatch batch, IStepScorer scorer) =>
        ReferenceGreedy.Decode(batch, scorer, null, new RerankContext(Seed));

    /// <summary>The contract <typeparamref name="T"/> of a class deriving from <c>ComponentConformance&lt;T&gt;</c>, or null.</summary>
    private static Type? ContractOf(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ComponentConformance<>))
            {
                return t.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private static string ComponentOf(Type suite) =>
        (string)suite.GetProperty("Component", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(Activator.CreateInstance(suite))!;

    private static IEnumerable<INamedTypeSymbol> Types(INamespaceSymbol ns) =>
        ns.GetNamespaceMembers().SelectMany(Types).Concat(ns.GetTypeMembers().SelectMany(Nested));

    private static IEnumerable<INamedTypeSymbol> Nested(INamedTypeSymbol type) => [type, .. type.GetTypeMembers().SelectMany(Nested)];
}
