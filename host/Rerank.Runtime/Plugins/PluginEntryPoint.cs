using System.Reflection;
using NuGet.Versioning;
using Rerank.Abstractions;

namespace Rerank.Runtime.Plugins;

/// <summary>Finds, creates and checks the one public <see cref="IRerankPlugin"/> type of a plugin assembly.</summary>
internal static class PluginEntryPoint
{
    /// <summary>Creates the plugin's entry object and checks that its id and version equal the manifest's.</summary>
    public static IRerankPlugin Create(Assembly assembly, PluginManifest manifest)
    {
        var type = FindType(assembly);
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new PluginLoadException($"{type.FullName} has no public parameterless constructor");
        }

        IRerankPlugin plugin;
        try
        {
            plugin = (IRerankPlugin)Activator.CreateInstance(type)!;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new PluginLoadException($"the constructor of {type.FullName} threw {PluginLoadException.Describe(e)}");
        }

        if (!string.Equals(plugin.Id, manifest.Id, StringComparison.Ordinal))
        {
            throw new PluginLoadException($"{type.FullName}.Id is '{plugin.Id}' but the manifest says '{manifest.Id}'");
        }

        if (!NuGetVersion.TryParse(plugin.Version, out var version) || version != manifest.Version)
        {
            throw new PluginLoadException($"{type.FullName}.Version is '{plugin.Version}' but the manifest says {manifest.Version}");
        }

        return plugin;
    }

    private static Type FindType(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null);
            throw new PluginLoadException($"types of {assembly.GetName().Name} could not be loaded: {(first is null ? "unknown cause" : PluginLoadException.Describe(first))}");
        }

        var candidates = types.Where(t => t.IsClass && !t.IsAbstract && typeof(IRerankPlugin).IsAssignableFrom(t)).ToList();
        var visible = candidates.Where(t => t.IsPublic).ToList();
        return visible.Count switch
        {
            1 => visible[0],
            0 when candidates.Count > 0 => throw new PluginLoadException(
                $"no public IRerankPlugin type in {assembly.GetName().Name}.dll; found only non-public {string.Join(", ", candidates.Select(t => t.FullName))} — make it public"),
            0 => throw new PluginLoadException($"no public IRerankPlugin type in {assembly.GetName().Name}.dll"),
            _ => throw new PluginLoadException(
                $"{visible.Count} public IRerankPlugin types in {assembly.GetName().Name}.dll ({string.Join(", ", visible.Select(t => t.FullName))}); a plugin assembly has exactly one"),
        };
    }
}
