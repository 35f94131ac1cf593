using System.Runtime.CompilerServices;

namespace Rerank.Runtime.Plugins;

/// <summary>Loads a plugin assembly into its context, creates its entry object and collects what it registers.</summary>
internal static class PluginActivation
{
    /// <summary>
    /// Runs the plugin's registration and returns the registrations. Not inlined, so that the entry object and the
    /// assembly die with this frame and only the registrations keep plugin types alive (until the catalog is dropped).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IReadOnlyList<ComponentRegistration> Register(PluginLoadContext context, PluginManifest manifest)
    {
        System.Reflection.Assembly assembly;
        try
        {
            assembly = context.LoadFromAssemblyPath(context.MainAssemblyPath);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new PluginLoadException($"{manifest.Assembly} could not be loaded: {PluginLoadException.Describe(e)}");
        }

        var plugin = PluginEntryPoint.Create(assembly, manifest);
        var registry = new PluginRegistry(manifest.Id, manifest.Version);
        try
        {
            plugin.Register(registry);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new PluginLoadException($"Register threw {PluginLoadException.Describe(e)}");
        }

        return registry.Close();
    }
}
