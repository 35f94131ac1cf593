using System.Reflection;
using System.Runtime.Loader;

namespace Rerank.Host.Plugins;

/// <summary>
/// One collectible load context per plugin folder. Private dependencies resolve through the plugin's deps.json
/// (<see cref="AssemblyDependencyResolver"/>); shared assemblies (contracts, engine, Microsoft.Extensions.*.Abstractions)
/// resolve to the host's copies so that types unify.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver resolver;

    public PluginLoadContext(string name, string mainAssemblyPath)
        : base(name, isCollectible: true)
    {
        resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        MainAssemblyPath = mainAssemblyPath;
    }

    public string MainAssemblyPath { get; }

    /// <summary>Whether an assembly must come from the host so that the plugin and host agree on its types.</summary>
    public static bool IsShared(AssemblyName name) =>
        name.Name is "Rerank.Abstractions" or "Rerank.Engine"
        || (name.Name?.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) == true && name.Name.EndsWith(".Abstractions", StringComparison.Ordinal));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName))
        {
            // Defer to the default context: the host's copy.
            return null;
        }

        var path = resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
