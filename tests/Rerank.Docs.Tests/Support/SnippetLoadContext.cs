using System.Reflection;
using System.Runtime.Loader;

namespace Rerank.Docs.Tests.Support;

/// <summary>
/// Loads compiled snippet assemblies; they resolve each other by name, and everything else (the contracts, the engine,
/// the conformance suite) from the test's own context, as a plugin's contracts resolve to the host's.
/// </summary>
internal sealed class SnippetLoadContext() : AssemblyLoadContext("plugin-authors.md")
{
    private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.Ordinal);

    /// <summary>Loads an image.</summary>
    public Assembly Add(byte[] image)
    {
        using var stream = new MemoryStream(image);
        var assembly = LoadFromStream(stream);
        _loaded[assembly.GetName().Name!] = assembly;
        return assembly;
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName) => _loaded.GetValueOrDefault(assemblyName.Name ?? "");
}
