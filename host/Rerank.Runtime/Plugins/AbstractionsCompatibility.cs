using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NuGet.Versioning;
using Rerank.Abstractions;

namespace Rerank.Runtime.Plugins;

/// <summary>
/// Decides, before any plugin code is loaded, whether a plugin fits the host's Rerank.Abstractions: the manifest's range
/// must include the host's version, and the version the assembly was compiled against must have the host's major and be no
/// newer than the host's.
/// </summary>
internal static class AbstractionsCompatibility
{
    /// <summary>The contract assembly's simple name.</summary>
    public const string AssemblyName = "Rerank.Abstractions";

    /// <summary>The host's Rerank.Abstractions version (informational version without build metadata, else the assembly version).</summary>
    public static NuGetVersion HostVersion { get; } = VersionOf(typeof(IRerankPlugin).Assembly);

    /// <summary>The SemVer version an assembly carries.</summary>
    public static NuGetVersion VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is not null && NuGetVersion.TryParse(informational.Split('+')[0], out var version))
        {
            return version;
        }

        var v = assembly.GetName().Version ?? new Version(0, 0, 0);
        return new NuGetVersion(v.Major, v.Minor, Math.Max(v.Build, 0));
    }

    /// <summary>
    /// Reads the Rerank.Abstractions version <paramref name="assemblyPath"/> references from its metadata, without loading it.
    /// Throws <see cref="PluginLoadException"/> when the file is not a .NET assembly or references no Rerank.Abstractions.
    /// </summary>
    public static Version ReadCompiledVersion(string assemblyPath)
    {
        try
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                throw new PluginLoadException($"{Path.GetFileName(assemblyPath)} is not a .NET assembly");
            }

            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.AssemblyReferences)
            {
                var reference = metadata.GetAssemblyReference(handle);
                if (metadata.StringComparer.Equals(reference.Name, AssemblyName))
                {
                    return reference.Version;
                }
            }
        }
        catch (BadImageFormatException e)
        {
            throw new PluginLoadException($"{Path.GetFileName(assemblyPath)} is not a .NET assembly ({PluginLoadException.OneLine(e.Message)})");
        }

        throw new PluginLoadException($"{Path.GetFileName(assemblyPath)} does not reference {AssemblyName}, so it cannot contain an IRerankPlugin");
    }

    /// <summary>
    /// Checks a manifest and the compiled reference against <paramref name="host"/>; throws <see cref="PluginLoadException"/>
    /// naming both versions and every cause when the plugin does not fit.
    /// </summary>
    public static void Check(PluginManifest manifest, Version compiled, NuGetVersion host)
    {
        var causes = new List<string>();
        if (!manifest.Abstractions.Satisfies(host))
        {
            causes.Add($"its manifest accepts {AssemblyName} {manifest.AbstractionsText}, which excludes the host's {host}");
        }

        if (compiled.Major != host.Major)
        {
            causes.Add($"it was compiled against {AssemblyName} {compiled.ToString(3)} (major {compiled.Major}) but the host has {host} (major {host.Major})");
        }
        else if (new NuGetVersion(compiled.Major, compiled.Minor, Math.Max(compiled.Build, 0)) > new NuGetVersion(host.Major, host.Minor, host.Patch))
        {
            // A newer minor may use members the host's copy lacks; the runtime would refuse to bind it anyway, later and less clearly.
            causes.Add($"it was compiled against {AssemblyName} {compiled.ToString(3)}, newer than the host's {host}");
        }

        if (causes.Count > 0)
        {
            throw new PluginLoadException($"incompatible {AssemblyName}: {string.Join(" and ", causes)}; rebuild the plugin against {AssemblyName} {host.Major}.x (at most {host})");
        }
    }
}
