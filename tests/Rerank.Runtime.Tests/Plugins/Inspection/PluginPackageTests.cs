using System.IO.Compression;
using Rerank.Runtime.Plugins.Inspection;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins.Inspection;

public sealed class PluginPackageTests
{
    [Fact]
    public void Extract_GoodPackage_LaysItOutAsIdVersion()
    {
        using var temp = new TempFolder();
        var nupkg = FixturePlugins.Package(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine(temp.Path, "greeter.1.0.0.nupkg"));

        var folder = PluginPackage.Extract(nupkg, Path.Combine(temp.Path, "out"));

        folder.ShouldBe(Path.Combine(temp.Path, "out", "greeter", "1.0.0"));
        File.Exists(Path.Combine(folder, "plugin.yaml")).ShouldBeTrue();
        File.Exists(Path.Combine(folder, "Fixtures.Greeter.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(folder, "fixture.nuspec")).ShouldBeFalse("only plugin/** is extracted");
        Directory.GetDirectories(Path.Combine(temp.Path, "out")).Select(Path.GetFileName).ShouldBe(["greeter"], "no staging folder is left");
    }

    [Fact]
    public void Extract_NoPluginFolder_SaysItIsNotAPluginPackage()
    {
        using var temp = new TempFolder();
        var nupkg = Zip(temp, "plain.nupkg", ("lib/net10.0/Plain.dll", "x"), ("plain.nuspec", "<package />"));

        var e = Should.Throw<InvalidDataException>(() => PluginPackage.Extract(nupkg, Path.Combine(temp.Path, "out")));

        e.Message.ShouldBe($"{nupkg} is not a Rerank plugin package: it has no plugin/plugin.yaml");
    }

    [Fact]
    public void Extract_EntryEscapingTheFolder_IsRefusedAndNothingIsWrittenOutside()
    {
        using var temp = new TempFolder();
        var nupkg = Zip(temp, "slip.nupkg", ("plugin/plugin.yaml", "id: slip"), ("plugin/../../escaped.txt", "gotcha"));

        var e = Should.Throw<InvalidDataException>(() => PluginPackage.Extract(nupkg, Path.Combine(temp.Path, "out", "deep")));

        e.Message.ShouldContain("entry 'plugin/../../escaped.txt' would be written outside the plugin folder");
        Directory.EnumerateFiles(temp.Path, "escaped.txt", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public void Extract_NotAZip_NamesTheFile()
    {
        using var temp = new TempFolder();
        var nupkg = temp.Write("broken.nupkg", "not a zip");

        var e = Should.Throw<InvalidDataException>(() => PluginPackage.Extract(nupkg, Path.Combine(temp.Path, "out")));

        e.Message.ShouldStartWith($"{nupkg} is not a Rerank plugin package: it is not a zip archive");
    }

    [Fact]
    public void Open_Package_ExtractsToATemporaryFolderThatDisposeDeletes()
    {
        using var temp = new TempFolder();
        var nupkg = FixturePlugins.Package(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine(temp.Path, "greeter.nupkg"));
        string folder;
        using (var source = PluginSource.Open(nupkg, temporaryParent: temp.Path))
        {
            source.IsPackage.ShouldBeTrue();
            folder = source.Folder;
            Path.GetFileName(folder).ShouldBe("1.0.0");
            Directory.Exists(folder).ShouldBeTrue();
        }

        Directory.Exists(folder).ShouldBeFalse();
        Directory.GetDirectories(temp.Path).ShouldBeEmpty();
    }

    [Fact]
    public void Open_MissingPath_ThrowsFileNotFoundNamingIt()
    {
        var e = Should.Throw<FileNotFoundException>(() => PluginSource.Open("/no/such/plugin"));
        e.Message.ShouldBe("no plugin folder or package at '/no/such/plugin'");
    }

    private static string Zip(TempFolder temp, string name, params (string Entry, string Text)[] entries)
    {
        var path = Path.Combine(temp.Path, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, text) in entries)
        {
            using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
            writer.Write(text);
        }

        return path;
    }
}
