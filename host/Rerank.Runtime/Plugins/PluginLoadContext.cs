using System.Reflection;
using System.Runtime.Loader;
using Rerank.Abstractions;

namespace Rerank.Runtime.Plugins;

/// <summary>
/// One collectible load context per plugin folder. Private dependencies resolve through the plugin's deps.json
/// (<see cref="AssemblyDependencyResolver"/>); shared assemblies (contracts, engine, Microsoft.Extensions.*.Abstractions)
/// resolve to the host's copies so that types unify.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string name, string mainAssemblyPath)
        : base(name, isCollectible: true)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        MainAssemblyPath = mainAssemblyPath;
    }

    public string MainAssemblyPath { get; }

    /// <summary>Whether an assembly must come from the host so that the plugin and host agree on its types.</summary>
    public static bool IsShared(AssemblyName name) =>
        IsContract(name)
        || (name.Name?.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) == true && name.Name.EndsWith(".Abstractions", StringComparison.Ordinal));

    /// <summary>Rerank's own contract and engine assemblies: always the host's, never a plugin's copy.</summary>
    private static bool IsContract(AssemblyName name) => name.Name is "Rerank.Abstractions" or "Rerank.Engine";

    /// <summary>The context holding the host's contracts (the default one, unless the host itself runs in a custom context).</summary>
    private static AssemblyLoadContext HostContext { get; } = GetLoadContext(typeof(IRerankPlugin).Assembly) ?? Default;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName))
        {
            // The host's copy, so that IGenerator in the plugin is IGenerator in the host. A plugin-side copy in the
            // folder is never used while the host has one; only a Microsoft.Extensions.*.Abstractions the host lacks
            // falls through to the plugin's own (there are no host types to unify with then).
            try
            {
                return HostContext.LoadFromAssemblyName(assemblyName);
            }
            catch (FileNotFoundException) when (!IsContract(assemblyName))
            {
            }
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
