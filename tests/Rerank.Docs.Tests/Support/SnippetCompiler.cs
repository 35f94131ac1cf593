using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Rerank.Docs.Tests.Support;

/// <summary>
/// Compiles snippets the way a class library with <c>ImplicitUsings</c> and <c>Nullable</c> on compiles them: each snippet
/// its own file (so each needs its own usings), the SDK's implicit global usings of a class library, the shared framework
/// and only the references given. Diagnostics name the page's line.
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>The global usings <c>ImplicitUsings</c> gives a class library (Microsoft.NET.Sdk).</summary>
    public static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    /// <summary>The shared framework (Microsoft.NETCore.App): the trusted platform assemblies of the runtime's own folder.</summary>
    public static IReadOnlyList<MetadataReference> Framework { get; } = FrameworkReferences();

    /// <summary>A reference to the assembly that defines <paramref name="type"/>.</summary>
    public static MetadataReference Of(Type type) => MetadataReference.CreateFromFile(type.Assembly.Location);

    /// <summary>One compilation of <paramref name="snippets"/> (a library named <paramref name="name"/>).</summary>
    public static CSharpCompilation Compile(string name, string page, IEnumerable<Snippet> snippets, IEnumerable<MetadataReference> references)
    {
        var usings = CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), Parse, path: "ImplicitUsings.g.cs");
        var trees = snippets.Select(s => CSharpSyntaxTree.ParseText(s.Code, Parse, path: $"{page}@{s.Line.ToString(CultureInfo.InvariantCulture)}"));
        return CSharpCompilation.Create(
            name,
            [usings, .. trees],
            [.. Framework, .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true));
    }

    /// <summary>Every warning and error, as <c>page:line:column: error CS0246: …</c> with the line on the page.</summary>
    public static IReadOnlyList<string> Problems(Compilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        return [.. compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .Select(Describe)];
    }

    /// <summary>The page and line a tree's position is on.</summary>
    public static string Where(SyntaxTree? tree, int position)
    {
        if (tree is null)
        {
            return "(no source)";
        }

        var at = tree.FilePath.LastIndexOf('@');
        if (at < 0)
        {
            return tree.FilePath;
        }

        var span = tree.GetLineSpan(new Microsoft.CodeAnalysis.Text.TextSpan(position, 0)).StartLinePosition;
        var line = int.Parse(tree.FilePath[(at + 1)..], CultureInfo.InvariantCulture) + span.Line;
        return string.Create(CultureInfo.InvariantCulture, $"{tree.FilePath[..at]}:{line}:{span.Character + 1}");
    }

    /// <summary>The compiled image; throws listing every problem when it does not emit.</summary>
    public static byte[] Emit(Compilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        return result.Success
            ? image.ToArray()
            : throw new InvalidOperationException($"{compilation.AssemblyName} does not compile:\n{string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe))}");
    }

    private static string Describe(Diagnostic d) =>
        $"{Where(d.Location.SourceTree, d.Location.SourceSpan.Start)}: {d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}";

    private static List<MetadataReference> FrameworkReferences()
    {
        var runtime = Path.GetDirectoryName(Path.GetFullPath(typeof(object).Assembly.Location))! + Path.DirectorySeparatorChar;
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return [.. trusted
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && Path.GetFullPath(p).StartsWith(runtime, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p))];
    }
}
