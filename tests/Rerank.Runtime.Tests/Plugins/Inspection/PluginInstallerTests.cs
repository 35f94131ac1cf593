using Rerank.Runtime.Plugins;
using Rerank.Runtime.Plugins.Inspection;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins.Inspection;

public sealed class PluginInstallerTests
{
    [Fact]
    public void Install_Package_LaysItOutAndTheLoaderFindsIt()
    {
        using var temp = new TempFolder();
        var nupkg = FixturePlugins.Package(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine(temp.Path, "greeter.nupkg"));
        var plugins = Path.Combine(temp.Path, "plugins");

        var result = PluginInstaller.Install(nupkg, plugins, force: false);

        result.ShouldBe(new InstallResult("greeter", "1.0.0", Path.Combine(plugins, "greeter", "1.0.0"), false));
        Hidden(plugins).ShouldBeEmpty();
        using var catalog = new PluginLoader().LoadFolder(plugins);
        catalog.Plugins.Single().Status.ShouldBe(PluginLoadStatus.Loaded);
    }

    [Fact]
    public void Install_Twice_IsRefusedNamingTheExistingFolder()
    {
        using var temp = new TempFolder();
        var plugins = Path.Combine(temp.Path, "plugins");
        PluginInstaller.Install(FixturePlugins.ThirdPartyOutput, plugins, force: false);

        var e = Should.Throw<IOException>(() => PluginInstaller.Install(FixturePlugins.ThirdPartyOutput, plugins, force: false));

        e.Message.ShouldBe($"plugin acme 1.2.0 is already installed in '{Path.Combine(plugins, "acme", "1.2.0")}'; pass --force to replace it");
        Hidden(plugins).ShouldBeEmpty();
    }

    [Fact]
    public void Install_Force_ReplacesTheInstalledCopy()
    {
        using var temp = new TempFolder();
        var plugins = Path.Combine(temp.Path, "plugins");
        var first = PluginInstaller.Install(FixturePlugins.ThirdPartyOutput, plugins, force: false);
        File.WriteAllText(Path.Combine(first.Folder, "stale.txt"), "from the old copy");

        var second = PluginInstaller.Install(FixturePlugins.ThirdPartyOutput, plugins, force: true);

        second.Replaced.ShouldBeTrue();
        File.Exists(Path.Combine(second.Folder, "stale.txt")).ShouldBeFalse();
        File.Exists(Path.Combine(second.Folder, "plugin.yaml")).ShouldBeTrue();
        Hidden(plugins).ShouldBeEmpty();
    }

    [Fact]
    public void Install_PluginThatFailsTheCheck_LeavesNothingBehind()
    {
        using var temp = new TempFolder();
        var broken = temp.CopyFrom(FixturePlugins.Of("privatedep", "1.0.0"), "broken");
        File.Delete(Path.Combine(broken, "YamlDotNet.dll"));
        var nupkg = FixturePlugins.Package(broken, Path.Combine(temp.Path, "broken.nupkg"));
        var plugins = Path.Combine(temp.Path, "plugins");

        Should.Throw<InvalidDataException>(() => PluginInstaller.Install(broken, plugins, force: false)).Message.ShouldContain("YamlDotNet.dll");
        Should.Throw<InvalidDataException>(() => PluginInstaller.Install(nupkg, plugins, force: false)).Message.ShouldContain("was not installed: dependencies: YamlDotNet.dll");

        Directory.EnumerateFileSystemEntries(plugins, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    private static IEnumerable<string> Hidden(string plugins) =>
        Directory.EnumerateDirectories(plugins, ".*", SearchOption.AllDirectories);
}
