using System.Reflection;
using Microsoft.CodeAnalysis;
using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine;
using Rerank.Runtime.Plugins;

namespace Rerank.Docs.Tests.Support;

/// <summary>
/// docs/plugin-authors.md compiled as its reader would: the snippets that use <c>Rerank.Conformance</c> are the test
/// project, every other one the plugin, which compiles against the shared framework, Rerank.Abstractions and Rerank.Engine
/// only (what Rerank.Plugin.Sdk gives). Both are emitted and loaded when they compile.
/// </summary>
internal sealed class DocsPage
{
    /// <summary>The page, relative to the repository root.</summary>
    public const string RelativePath = "docs/plugin-authors.md";

    private static readonly Lazy<DocsPage> Shared = new(() => new DocsPage());
    private readonly Lazy<(Assembly Plugin, Assembly Tests)> _loaded;

    private DocsPage()
    {
        Snippets = MarkdownSnippets.CSharp(File.ReadAllText(Path.Combine(RepoRoot.Path, RelativePath)));
        var tests = Snippets.Where(s => s.Code.Contains("using Rerank.Conformance;", StringComparison.Ordinal)).ToList();
        PluginCompilation = SnippetCompiler.Compile("Acme.Rerank", RelativePath, Snippets.Except(tests), PluginReferences);
        TestCompilation = SnippetCompiler.Compile(
            "Acme.Rerank.Tests",
            RelativePath,
            tests,
            [.. PluginReferences, PluginCompilation.ToMetadataReference(), .. TestReferences]);
        _loaded = new(Load);
    }

    /// <summary>The page, read and compiled once per test run.</summary>
    public static DocsPage Instance => Shared.Value;

    /// <summary>What a plugin compiles against besides the framework: the contracts and the engine.</summary>
    public static IReadOnlyList<MetadataReference> PluginReferences { get; } =
        [SnippetCompiler.Of(typeof(IRerankPlugin)), SnippetCompiler.Of(typeof(Tensor))];

    /// <summary>What the template's test project gets from the Rerank.Conformance package: the suites, the runtime, xunit, Shouldly.</summary>
    public static IReadOnlyList<MetadataReference> TestReferences { get; } =
    [
        SnippetCompiler.Of(typeof(ComponentConformance<>)),
        SnippetCompiler.Of(typeof(PluginCatalog)),
        SnippetCompiler.Of(typeof(FactAttribute)),
        SnippetCompiler.Of(typeof(Assert)),
        SnippetCompiler.Of(typeof(Xunit.Abstractions.ITestOutputHelper)),
        SnippetCompiler.Of(typeof(ShouldAssertException)),
    ];

    /// <summary>Every C# block of the page, in order.</summary>
    public IReadOnlyList<Snippet> Snippets { get; }

    /// <summary>The plugin's snippets, compiled.</summary>
    public Compilation PluginCompilation { get; }

    /// <summary>The test project's snippets, compiled against the plugin.</summary>
    public Compilation TestCompilation { get; }

    /// <summary>The plugin assembly, loaded.</summary>
    public Assembly Plugin => _loaded.Value.Plugin;

    /// <summary>The test assembly, loaded.</summary>
    public Assembly Tests => _loaded.Value.Tests;

    private (Assembly Plugin, Assembly Tests) Load()
    {
        var context = new SnippetLoadContext();
        var plugin = context.Add(SnippetCompiler.Emit(PluginCompilation));
        return (plugin, context.Add(SnippetCompiler.Emit(TestCompilation)));
    }
}
