using System.Xml.Linq;
using Rerank.Testing;

namespace Rerank.Architecture.Tests;

/// <summary>Plugins reference only the contracts and the engine; nothing references the host; the contracts reference nothing of ours.</summary>
public sealed class DependencyRuleTests
{
    private static IEnumerable<string> Projects(string folder) =>
        Directory.Exists(Path.Combine(RepoPaths.Root, folder))
            ? Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), "*.csproj", SearchOption.AllDirectories)
            : [];

    private static List<string> ReferencedProjects(string csproj) =>
        [.. XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))];

    [Fact]
    public void Plugins_ReferenceOnlyAbstractionsAndEngine()
    {
        var plugins = Projects("plugins").ToList();
        plugins.ShouldNotBeEmpty();
        var inherited = ReferencedProjects(Path.Combine(RepoPaths.Root, "plugins", "Directory.Build.props"));
        foreach (var plugin in plugins)
        {
            var refs = ReferencedProjects(plugin).Concat(inherited);
            refs.Where(r => r is not ("Rerank.Abstractions" or "Rerank.Engine"))
                .ShouldBeEmpty($"{Path.GetRelativePath(RepoPaths.Root, plugin)} may reference only Rerank.Abstractions and Rerank.Engine");
        }
    }

    [Fact]
    public void NoProductionProject_ReferencesHost()
    {
        var production = new[] { "abstractions", "engine", "plugins", "host" }.SelectMany(Projects);
        foreach (var project in production)
        {
            ReferencedProjects(project).ShouldNotContain("Rerank.Host", $"{Path.GetRelativePath(RepoPaths.Root, project)} must not reference Rerank.Host");
        }
    }

    [Fact]
    public void Abstractions_ReferenceNothingOfOurs()
    {
        foreach (var project in Projects("abstractions"))
        {
            ReferencedProjects(project).ShouldBeEmpty();
            XDocument.Load(project).Descendants("PackageReference").ShouldBeEmpty();
        }
    }

    [Fact]
    public void Engine_ReferencesNoProjectOfOurs()
    {
        foreach (var project in Projects("engine"))
        {
            ReferencedProjects(project).ShouldBeEmpty();
        }
    }
}
