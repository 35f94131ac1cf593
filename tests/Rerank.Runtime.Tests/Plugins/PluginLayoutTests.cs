using System.Reflection;
using System.Runtime.Loader;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins;

/// <summary>What the build lays out: shipped plugins under artifacts/plugins, fixtures elsewhere.</summary>
public sealed class PluginLayoutTests
{
    private static readonly string Shipped = Path.Combine(RepoPaths.Root, "artifacts", "plugins");

    [Fact]
    public void Build_Baselines_IsLaidOutWithItsManifest()
    {
        var folder = Path.Combine(Shipped, "baselines", "1.0.0");

        var manifest = PluginManifestReader.Read(folder);

        (manifest.Id, manifest.Version.ToNormalizedString(), manifest.Assembly).ShouldBe(("baselines", "1.0.0", "Rerank.Plugins.Baselines.dll"));
        manifest.Abstractions.Satisfies(AbstractionsCompatibility.HostVersion).ShouldBeTrue();
        File.Exists(Path.Combine(folder, "Rerank.Plugins.Baselines.deps.json")).ShouldBeTrue();
        File.Exists(Path.Combine(folder, "Rerank.Abstractions.dll")).ShouldBeFalse("the contracts come from the host, never from the plugin folder");
        File.Exists(Path.Combine(folder, "Rerank.Engine.dll")).ShouldBeFalse("the engine comes from the host, never from the plugin folder");
    }

    [Fact]
    public void Build_ShippedFolder_LoadsWithoutFailuresAndHoldsNoFixture()
    {
        using var catalog = new PluginLoader().LoadFolder(Shipped);

        catalog.Plugins.Where(p => p.Status == PluginLoadStatus.Failed).Select(p => p.Error).ShouldBeEmpty();
        catalog.Plugins.Select(p => p.Id).ShouldContain("baselines");
        catalog.Plugins.Select(p => p.Id).ShouldNotContain("greeter");
    }

    [Theory]
    [InlineData("baselines")]
    [InlineData("degre")]
    [InlineData("nar4rec")]
    [InlineData("pear")]
    public void Build_PluginUsingTheCommonLibrary_ShipsItsOwnCopy(string id)
    {
        var folder = Path.Combine(Shipped, id, "1.0.0");
        File.Exists(Path.Combine(folder, "Rerank.Plugins.Common.dll")).ShouldBeTrue($"{id} ships Rerank.Plugins.Common privately");
        File.ReadAllText(Directory.GetFiles(folder, "*.deps.json").Single()).ShouldContain("Rerank.Plugins.Common");
        Directory.Exists(Path.Combine(Shipped, "rerank.plugins.common")).ShouldBeFalse("the common library is not a plugin");
    }

    [Fact]
    public void Load_TwoPluginsWithTheCommonLibrary_EachContextLoadsItsOwnCopy()
    {
        using var catalog = new PluginLoader().LoadFolder(Shipped);
        var name = new AssemblyName("Rerank.Plugins.Common");
        var copies = new[] { "baselines", "pear" }.Select(id =>
        {
            var plugin = catalog.Plugins.Single(p => p.Id == id);
            plugin.Status.ShouldBe(PluginLoadStatus.Loaded, plugin.Error);
            plugin.LoadContext!.Assemblies.First(a => a.GetName().Name == $"Rerank.Plugins.{(id == "pear" ? "Pear" : "Baselines")}")
                .GetReferencedAssemblies().Select(r => r.Name).ShouldContain(name.Name);
            return (Plugin: plugin, Assembly: plugin.LoadContext.LoadFromAssemblyName(name));
        }).ToList();

        foreach (var (plugin, assembly) in copies)
        {
            AssemblyLoadContext.GetLoadContext(assembly).ShouldBeSameAs(plugin.LoadContext);
            Path.GetDirectoryName(assembly.Location).ShouldBe(Path.GetFullPath(plugin.Folder).TrimEnd(Path.DirectorySeparatorChar));
        }

        copies[0].Assembly.ShouldNotBeSameAs(copies[1].Assembly);
        copies[0].Assembly.GetType("Rerank.Plugins.Common.FeatureEncoder").ShouldNotBe(copies[1].Assembly.GetType("Rerank.Plugins.Common.FeatureEncoder"));
        AssemblyLoadContext.Default.Assemblies.Select(a => a.GetName().Name).ShouldNotContain(name.Name, "the host never loads the plugins' library");
    }

    [Fact]
    public void Default_FromTheTestOutputFolder_FindsTheShippedFolder()
    {
        PluginPaths.Default(null, Path.GetTempPath(), AppContext.BaseDirectory).ShouldBe(Shipped);
    }

    [Fact]
    public void Default_EnvironmentVariableSet_WinsAndIsMadeAbsolute()
    {
        PluginPaths.Default("my-plugins", "/srv/app", AppContext.BaseDirectory).ShouldBe(Path.GetFullPath("/srv/app/my-plugins"));
    }
}
