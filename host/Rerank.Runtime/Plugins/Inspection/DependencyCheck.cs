using System.Reflection;
using System.Text.Json;

namespace Rerank.Runtime.Plugins.Inspection;

/// <summary>
/// What a plugin folder ships against what its <c>.deps.json</c> promises: private dependencies that are missing (the loader
/// would fall back to whatever the host happens to carry) and copies of the host's shared contracts (ignored at load time).
/// </summary>
internal static class DependencyCheck
{
    /// <summary>The runtime and native files <c>&lt;assembly&gt;.deps.json</c> lists that are not in <paramref name="folder"/>, relative to it; null when there is no deps.json.</summary>
    public static IReadOnlyList<string>? MissingFiles(string folder, string assembly)
    {
        var depsPath = Path.Combine(folder, Path.GetFileNameWithoutExtension(assembly) + ".deps.json");
        if (!File.Exists(depsPath))
        {
            return null;
        }

        using var deps = JsonDocument.Parse(File.ReadAllText(depsPath));
        var root = deps.RootElement;
        var targetName = root.TryGetProperty("runtimeTarget", out var rt) && rt.TryGetProperty("name", out var n) ? n.GetString() : null;
        if (targetName is null || !root.TryGetProperty("targets", out var targets) || !targets.TryGetProperty(targetName, out var target))
        {
            throw new InvalidDataException($"{Path.GetFileName(depsPath)} names no runtime target");
        }

        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var library in target.EnumerateObject())
        {
            // runtime and native assets land in the folder itself; runtimeTargets keep their runtimes/<rid>/… path.
            foreach (var (section, keepPath) in new[] { ("runtime", false), ("native", false), ("runtimeTargets", true) })
            {
                if (!library.Value.TryGetProperty(section, out var assets))
                {
                    continue;
                }

                foreach (var asset in assets.EnumerateObject())
                {
                    var relative = keepPath ? asset.Name : Path.GetFileName(asset.Name);
                    if (string.Equals(relative, assembly, StringComparison.OrdinalIgnoreCase) || IsShared(relative))
                    {
                        continue;
                    }

                    if (!File.Exists(Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar))))
                    {
                        missing.Add(relative);
                    }
                }
            }
        }

        return [.. missing];
    }

    /// <summary>The files in <paramref name="folder"/> (top level) that are copies of assemblies the host shares with plugins.</summary>
    public static IReadOnlyList<string> SharedCopies(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.dll").Select(Path.GetFileName).OfType<string>().Where(IsShared).Order(StringComparer.Ordinal)];

    private static bool IsShared(string file) =>
        file.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
        && PluginLoadContext.IsShared(new AssemblyName(Path.GetFileNameWithoutExtension(file)));
}
