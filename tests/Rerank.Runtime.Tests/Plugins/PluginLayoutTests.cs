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
