using System.Reflection;
using System.Runtime.Loader;
using Rerank.Abstractions;

namespace Rerank.Runtime.Plugins.Inspection;

/// <summary>
/// Loads one plugin folder on its own (never the host's plugins folder) and reports what the host would see: identity,
/// contract versions and whether they fit, components and params, missing private dependencies, copies of the host's
/// contracts and public signatures that expose a plugin-private contract type. One <see cref="CheckLine"/> per check.
/// </summary>
public static class PluginInspector
{
    /// <summary>Inspects <paramref name="source"/>; never throws for a bad plugin (its problems become error lines).</summary>
    public static PluginInspection Inspect(PluginSource source, PluginLoader? loader = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        loader ??= new PluginLoader();
        var folder = source.Folder;
        var checks = new List<CheckLine>();
        var report = new PluginReport { Source = source.Path, Id = Path.GetFileName(folder), HostAbstractions = loader.HostAbstractionsVersion.ToNormalizedString() };
        PluginManifest manifest;
        try
        {
            manifest = PluginManifestReader.Read(folder);
        }
        catch (PluginLoadException e)
        {
            checks.Add(new CheckLine("manifest", CheckLevel.Error, $"{Path.Combine(folder, PluginManifest.FileName)}: {e.Message}"));
            return Done(report, checks, null);
        }

        var version = manifest.Version.ToNormalizedString();
        report = report with { Id = manifest.Id, Version = version, AbstractionsRange = manifest.AbstractionsText };
        checks.Add(new CheckLine("manifest", CheckLevel.Ok, $"id {manifest.Id}, version {version}, abstractions {manifest.AbstractionsText}, assembly {manifest.Assembly}"));
        checks.Add(Layout(folder, manifest, source.IsPackage));
        var assemblyPath = Path.Combine(folder, manifest.Assembly);
        if (!File.Exists(assemblyPath))
        {
            checks.Add(new CheckLine("assembly", CheckLevel.Error, $"the manifest names {manifest.Assembly}, which is not in {folder}"));
            return Done(report, checks, null);
        }

        checks.AddRange(Dependencies(folder, manifest.Assembly));
        try
        {
            var compiled = AbstractionsCompatibility.ReadCompiledVersion(assemblyPath);
            report = report with { CompiledAgainst = compiled.ToString(3) };
            AbstractionsCompatibility.Check(manifest, compiled, loader.HostAbstractionsVersion);
            report = report with { Fits = true };
            checks.Add(new CheckLine("abstractions", CheckLevel.Ok, $"manifest accepts {manifest.AbstractionsText}, compiled against {compiled.ToString(3)}, host has {report.HostAbstractions}"));
        }
        catch (PluginLoadException e)
        {
            checks.Add(new CheckLine("abstractions", CheckLevel.Error, e.Message));
            return Done(report, checks, null);
        }

        var plugin = loader.LoadPlugin(folder, checkLayout: false);
        if (plugin.Status != PluginLoadStatus.Loaded)
        {
            checks.Add(new CheckLine("load", CheckLevel.Error, plugin.Error ?? "failed"));
            return Done(report, checks, plugin);
        }

        checks.Add(new CheckLine("load", CheckLevel.Ok, $"loaded in its own context; {plugin.Components.Count} component(s) registered"));
        checks.Add(Signatures(plugin, assemblyPath));
        var components = new List<ComponentReport>();
        foreach (var c in plugin.Components)
        {
            try
            {
                components.Add(new ComponentReport(c.Kind.Word(), c.Name, c.Description, ParamTable.Rows(c.OptionsType)));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                checks.Add(new CheckLine($"{c.Kind.Word()} {c.Name}: params", CheckLevel.Error, $"its options type {c.OptionsType.FullName} cannot be read: {PluginLoadException.Describe(e)}"));
                components.Add(new ComponentReport(c.Kind.Word(), c.Name, c.Description, []));
            }
        }

        if (components.Count == 0)
        {
            checks.Add(new CheckLine("components", CheckLevel.Warning, "it registers no components; pipelines cannot use it"));
        }

        return Done(report with { Components = components }, checks, plugin);
    }

    private static PluginInspection Done(PluginReport report, List<CheckLine> checks, LoadedPlugin? plugin) =>
        new(report with { Checks = checks }, new PluginCatalog(plugin is null ? [] : [plugin]));

    private static CheckLine Layout(string folder, PluginManifest manifest, bool package)
    {
        var version = manifest.Version.ToNormalizedString();
        var laidOut = $"{manifest.Id}/{version}/";
        var folderVersion = Path.GetFileName(folder);
        var folderId = Path.GetFileName(Path.GetDirectoryName(folder));
        if (folderId == manifest.Id && NuGetVersionEquals(folderVersion, manifest))
        {
            return new CheckLine("layout", CheckLevel.Ok, package ? $"package extracted as {laidOut}" : $"laid out as {laidOut}");
        }

        return folderId == manifest.Id || NuGetVersionEquals(folderVersion, manifest)
            ? new CheckLine("layout", CheckLevel.Error, $"the folder is '{folderId}/{folderVersion}/' but the manifest says {laidOut}; the host would refuse it")
            : new CheckLine("layout", CheckLevel.Ok, $"a build output, checked in place ('rerank plugins install' lays it out as {laidOut})");
    }

    private static bool NuGetVersionEquals(string text, PluginManifest manifest) =>
        NuGet.Versioning.NuGetVersion.TryParse(text, out var v) && v == manifest.Version;

    private static IEnumerable<CheckLine> Dependencies(string folder, string assembly)
    {
        var deps = Path.GetFileNameWithoutExtension(assembly) + ".deps.json";
        IReadOnlyList<string>? missing = null;
        string? unreadable = null;
        try
        {
            missing = DependencyCheck.MissingFiles(folder, assembly);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or IOException)
        {
            unreadable = PluginLoadException.OneLine(e.Message);
        }

        if (unreadable is not null)
        {
            yield return new CheckLine("dependencies", CheckLevel.Error, $"{deps} cannot be read: {unreadable}");
        }
        else if (missing is null)
        {
            yield return new CheckLine("dependencies", CheckLevel.Warning, $"no {deps}: private dependencies resolve only by probing the folder; build with EnableDynamicLoading");
        }
        else if (missing.Count > 0)
        {
            yield return new CheckLine("dependencies", CheckLevel.Error, $"{string.Join(", ", missing)} listed in {deps} but missing from {folder}; the plugin would run on whatever copy the host happens to have, or fail");
        }
        else
        {
            yield return new CheckLine("dependencies", CheckLevel.Ok, $"every private dependency {deps} lists is in the folder");
        }

        foreach (var copy in DependencyCheck.SharedCopies(folder))
        {
            yield return new CheckLine("contracts", CheckLevel.Warning,
                $"{copy} duplicates an assembly the host shares with plugins; it is ignored at load time (the host's copy is used); leave it out of the plugin (Private=false, ExcludeAssets=runtime)");
        }
    }

    /// <summary>Public types whose public signatures use a contract type that did not come from the host (a plugin-private copy).</summary>
    private static CheckLine Signatures(LoadedPlugin plugin, string assemblyPath)
    {
        var context = plugin.LoadContext!;
        var assembly = context.Assemblies.FirstOrDefault(a => string.Equals(a.Location, assemblyPath, StringComparison.Ordinal));
        if (assembly is null)
        {
            return new CheckLine("signatures", CheckLevel.Warning, "the plugin assembly was not found in its context; signatures not checked");
        }

        try
        {
            var leaks = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var type in assembly.GetExportedTypes())
            {
                foreach (var used in SignatureTypes(type))
                {
                    if (PluginLoadContext.IsShared(used.Assembly.GetName()) && AssemblyLoadContext.GetLoadContext(used.Assembly) == context)
                    {
                        leaks.Add($"{type.FullName} exposes {used.FullName} from the plugin's own {used.Assembly.GetName().Name}");
                    }
                }
            }

            return leaks.Count == 0
                ? new CheckLine("signatures", CheckLevel.Ok, "public types use the host's contract types")
                : new CheckLine("signatures", CheckLevel.Error, string.Join("; ", leaks));
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException or FileLoadException or ReflectionTypeLoadException)
        {
            return new CheckLine("signatures", CheckLevel.Error, $"public types cannot be read: {PluginLoadException.Describe(e)}");
        }
    }

    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var direct = new List<Type?> { type.BaseType };
        direct.AddRange(type.GetInterfaces());
        direct.AddRange(type.GetProperties(Public).Select(p => p.PropertyType));
        direct.AddRange(type.GetFields(Public).Select(f => f.FieldType));
        foreach (var method in type.GetMethods(Public).Where(m => !m.IsSpecialName))
        {
            direct.Add(method.ReturnType);
            direct.AddRange(method.GetParameters().Select(p => p.ParameterType));
        }

        return direct.OfType<Type>().SelectMany(Expand);
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType)
        {
            return Expand(type.GetElementType()!);
        }

        return type.IsGenericType ? [type, .. type.GetGenericArguments().SelectMany(Expand)] : [type];
    }
}
