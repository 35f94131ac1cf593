using System.Xml.Linq;
using Rerank.Testing;

namespace Rerank.Architecture.Tests;

/// <summary>No project compiles another folder's source files: a linked file changes every project that compiles it, silently.</summary>
public sealed class LinkedSourceTests
{
    [Fact]
    public void BuildFiles_CompileNoSourceOutsideTheProjectFolder()
    {
        // A linked source file changes every project that compiles it, silently: share an assembly instead.
        const string standIn = "tests/fixtures/Abstractions.V2/Abstractions.V2.csproj"; // Rerank.Abstractions 2.0.0: the contract sources under another version
        LinkedSources(RepoPaths.Root).Where(o => !o.StartsWith(standIn + ":", StringComparison.Ordinal))
            .ShouldBeEmpty("compile only the project's own folder; share code as a project reference (plugins: plugins/Common)");
    }

    [Fact]
    public void LinkedSources_LinkedFileAndPropsCompile_AreFoundAndOwnFilesAreNot()
    {
        var root = Path.Combine(Path.GetTempPath(), $"rerank-deps-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "plugins", "A", "Sub"));
            File.WriteAllText(Path.Combine(root, "plugins", "A", "A.csproj"),
                "<Project><ItemGroup><Compile Include=\"Sub/*.cs;$(MSBuildThisFileDirectory)Gen/X.cs\" /><Compile Include=\"../Shared/*.cs\" LinkBase=\"Shared\" /><Compile Remove=\"../B/*.cs\" /></ItemGroup></Project>");
            File.WriteAllText(Path.Combine(root, "plugins", "Directory.Build.props"), "<Project><ItemGroup><Compile Include=\"$(RepoRoot)x.cs\" /></ItemGroup></Project>");

            LinkedSources(root).ShouldBe(["plugins/A/A.csproj: <Compile Include=\"../Shared/*.cs\">", "plugins/Directory.Build.props: <Compile Include=\"$(RepoRoot)x.cs\">"], ignoreOrder: true);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Every <c>&lt;Compile Include&gt;</c> under <paramref name="root"/> that reaches outside its project's folder, as
    /// "file: item". A .props/.targets file is imported by projects in other folders, so any Compile Include there counts.
    /// </summary>
    private static List<string> LinkedSources(string root)
    {
        var offenders = new List<string>();
        foreach (var file in BuildFiles(root))
        {
            var folder = Path.GetDirectoryName(file)!;
            var isProject = file.EndsWith(".csproj", StringComparison.Ordinal);
            var includes = XDocument.Load(file).Descendants().Where(e => e.Name.LocalName == "Compile")
                .Select(e => e.Attribute("Include")?.Value).OfType<string>()
                .SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            offenders.AddRange(includes.Where(i => !isProject || !Inside(folder, i))
                .Select(i => $"{Path.GetRelativePath(root, file).Replace('\\', '/')}: <Compile Include=\"{i}\">"));
        }

        return offenders;
    }

    /// <summary>Whether <paramref name="include"/> of a project in <paramref name="folder"/> stays inside that folder.</summary>
    private static bool Inside(string folder, string include)
    {
        var path = include.Replace("$(MSBuildThisFileDirectory)", "", StringComparison.Ordinal)
            .Replace("$(MSBuildProjectDirectory)", "", StringComparison.Ordinal);
        if (path.Contains("$(", StringComparison.Ordinal) || Path.IsPathRooted(path))
        {
            return false;
        }

        var full = Path.GetFullPath(Path.Combine(folder, path.Replace('\\', '/')));
        return full.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>Every csproj, props and targets file of the repository (build outputs and tool folders left out).</summary>
    private static IEnumerable<string> BuildFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (file.EndsWith(".csproj", StringComparison.Ordinal) || file.EndsWith(".props", StringComparison.Ordinal) || file.EndsWith(".targets", StringComparison.Ordinal))
            {
                yield return file;
            }
        }

        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            if (Path.GetFileName(sub) is not ("bin" or "obj" or "artifacts" or "out" or "node_modules") && !Path.GetFileName(sub).StartsWith('.'))
            {
                foreach (var file in BuildFiles(sub))
                {
                    yield return file;
                }
            }
        }
    }
}
