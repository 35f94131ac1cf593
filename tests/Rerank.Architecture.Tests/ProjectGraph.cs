using System.Xml.Linq;
using Rerank.Testing;

namespace Rerank.Architecture.Tests;

/// <summary>
/// The project graph read from the .csproj files under the repository's source folders, with the ProjectReference,
/// FrameworkReference and PackageReference items of each project's own file, of the Directory.Build.props/targets
/// above it and of the files they import from the repository (<c>build/ShippedPlugins.props</c>, …).
/// </summary>
internal static class ProjectGraph
{
    private static readonly string[] Roots = ["abstractions", "engine", "host", "plugins", "benchmarks", "tests"];

    /// <summary>Every project, by name.</summary>
    public static IReadOnlyDictionary<string, ProjectNode> All { get; } = Load();

    /// <summary>The projects under <paramref name="folder"/> (a top-level folder such as <c>host</c>).</summary>
    public static IEnumerable<ProjectNode> Under(string folder) =>
        All.Values.Where(p => p.Path.StartsWith(folder + "/", StringComparison.Ordinal));

    /// <summary>Everything <paramref name="name"/> compiles against, directly or through other projects.</summary>
    public static HashSet<string> Closure(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([name]);
        while (stack.Count > 0)
        {
            foreach (var reference in All.TryGetValue(stack.Pop(), out var node) ? node.References : [])
            {
                if (seen.Add(reference))
                {
                    stack.Push(reference);
                }
            }
        }

        return seen;
    }

    /// <summary>A cycle of references (build-order ones included), first project repeated at the end, or null.</summary>
    public static IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
        var path = new List<string>();

        List<string>? Visit(string name)
        {
            state[name] = 1;
            path.Add(name);
            var node = All[name];
            foreach (var next in node.References.Concat(node.BuildOrder).Where(All.ContainsKey))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.SkipWhile(p => p != next), next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[name] = 2;
            return null;
        }

        foreach (var name in All.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(name) == 0 && Visit(name) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static Dictionary<string, ProjectNode> Load()
    {
        var nodes = new Dictionary<string, ProjectNode>(StringComparer.Ordinal);
        foreach (var root in Roots.Select(r => System.IO.Path.Combine(RepoPaths.Root, r)).Where(Directory.Exists))
        {
            foreach (var csproj in Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories))
            {
                var relative = System.IO.Path.GetRelativePath(RepoPaths.Root, csproj).Replace('\\', '/');
                if (relative.Split('/').Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                var items = Files(csproj).SelectMany(f => f.Descendants()).ToList();
                var references = items.Where(e => e.Name.LocalName == "ProjectReference").ToList();
                bool BuildOrderOnly(XElement e) => string.Equals((string?)e.Attribute("ReferenceOutputAssembly"), "false", StringComparison.OrdinalIgnoreCase);
                var name = System.IO.Path.GetFileNameWithoutExtension(csproj);
                nodes[name] = new ProjectNode(
                    name,
                    relative,
                    [.. references.Where(e => !BuildOrderOnly(e)).Select(Target).Distinct()],
                    [.. references.Where(BuildOrderOnly).Select(Target).Distinct()],
                    items.Any(e => e.Name.LocalName is "FrameworkReference" or "PackageReference"
                        && ((string?)e.Attribute("Include"))?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true));
            }
        }

        return nodes;
    }

    private static string Target(XElement reference) =>
        System.IO.Path.GetFileNameWithoutExtension(((string)reference.Attribute("Include")!).Replace('\\', '/'));

    /// <summary>The project file, the Directory.Build.props/targets from its folder up to the root, and what they import from the repository.</summary>
    private static IEnumerable<XDocument> Files(string csproj)
    {
        var files = new List<string> { csproj };
        for (var dir = new DirectoryInfo(System.IO.Path.GetDirectoryName(csproj)!); dir is not null && dir.FullName.Length >= RepoPaths.Root.Length; dir = dir.Parent)
        {
            files.AddRange(new[] { "Directory.Build.props", "Directory.Build.targets" }.Select(f => System.IO.Path.Combine(dir.FullName, f)).Where(File.Exists));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(files);
        while (queue.Count > 0)
        {
            var file = queue.Dequeue();
            if (!seen.Add(file))
            {
                continue;
            }

            var doc = XDocument.Load(file);
            yield return doc;
            foreach (var import in doc.Descendants("Import").Select(e => (string?)e.Attribute("Project")).OfType<string>())
            {
                var path = import
                    .Replace("$(RepoRoot)", RepoPaths.Root + "/", StringComparison.Ordinal)
                    .Replace("$(MSBuildThisFileDirectory)", System.IO.Path.GetDirectoryName(file) + "/", StringComparison.Ordinal);
                if (!path.Contains("$(", StringComparison.Ordinal))
                {
                    var full = System.IO.Path.GetFullPath(path, System.IO.Path.GetDirectoryName(file)!);
                    if (File.Exists(full))
                    {
                        queue.Enqueue(full);
                    }
                }
            }
        }
    }
}
