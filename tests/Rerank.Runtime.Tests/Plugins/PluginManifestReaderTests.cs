using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins;

public sealed class PluginManifestReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_ValidManifest_ReturnsEveryField()
    {
        var manifest = Read("id: greeter\nversion: 1.2.3-beta.1\nabstractions: \"^1.0.0\"\nassembly: Fixtures.Greeter.dll\n");

        manifest.Id.ShouldBe("greeter");
        manifest.Version.ToNormalizedString().ShouldBe("1.2.3-beta.1");
        manifest.AbstractionsText.ShouldBe("^1.0.0");
        manifest.Abstractions.Satisfies(new NuGet.Versioning.NuGetVersion(1, 9, 0)).ShouldBeTrue();
        manifest.Abstractions.Satisfies(new NuGet.Versioning.NuGetVersion(2, 0, 0)).ShouldBeFalse();
        manifest.Assembly.ShouldBe("Fixtures.Greeter.dll");
    }

    [Fact]
    public void Read_MissingKeys_ListsEveryMissingKey()
    {
        var e = Should.Throw<PluginLoadException>(() => Read("id: greeter\n"));

        e.Message.ShouldBe("invalid manifest: plugin.yaml: missing 'version'; plugin.yaml: missing 'abstractions'; plugin.yaml: missing 'assembly'");
    }

    [Fact]
    public void Read_BadVersion_NamesTheValueAndLine()
    {
        var e = Should.Throw<PluginLoadException>(() => Read("id: greeter\nversion: one\nabstractions: ^1.0\nassembly: a.dll\n"));

        e.Message.ShouldBe("invalid manifest: plugin.yaml:2: version 'one' is not a SemVer version such as 1.2.0");
    }

    [Fact]
    public void Read_TwoPartVersion_IsRefused()
    {
        var e = Should.Throw<PluginLoadException>(() => Read("id: greeter\nversion: 1.0\nabstractions: ^1.0\nassembly: a.dll\n"));

        e.Message.ShouldContain("version '1.0' is not a SemVer version");
    }

    [Fact]
    public void Read_BadRangeIdAndAssembly_ReportsAllAtOnce()
    {
        var e = Should.Throw<PluginLoadException>(() => Read("id: Greeter\nversion: 1.0.0\nabstractions: \"^x\"\nassembly: ../a.exe\n"));

        e.Message.ShouldContain("plugin.yaml:1: id 'Greeter' must be lower-case");
        e.Message.ShouldContain("plugin.yaml:3: abstractions '^x' is not a version range");
        e.Message.ShouldContain("plugin.yaml:4: assembly '../a.exe' must be a .dll file name in the plugin folder");
    }

    [Fact]
    public void Read_UnknownKey_IsAnErrorListingAllowedKeys()
    {
        var e = Should.Throw<PluginLoadException>(() => Read("id: greeter\nversion: 1.0.0\nabstractions: ^1.0\nassembly: a.dll\nauthor: me\n"));

        e.Message.ShouldBe("invalid manifest: plugin.yaml:5: unknown key 'author' (allowed: id, version, abstractions, assembly)");
    }

    [Fact]
    public void Read_DuplicateKey_IsInvalidYamlWithItsLine()
    {
        var e = Should.Throw<PluginLoadException>(() => Read("id: greeter\nid: greeter\nversion: 1.0.0\nabstractions: ^1.0\nassembly: a.dll\n"));

        e.Message.ShouldBe("plugin.yaml:2:1: invalid YAML: duplicate key 'id' (first at 1:1)");
    }

    [Fact]
    public void Read_NonScalarValue_IsAnError()
    {
        var e = Should.Throw<PluginLoadException>(() => Read("id: [a, b]\nversion: 1.0.0\nabstractions: ^1.0\nassembly: a.dll\n"));

        e.Message.ShouldBe("invalid manifest: plugin.yaml:1: 'id' must be a non-empty scalar");
    }

    [Fact]
    public void Read_MalformedYaml_NamesLineAndColumn()
    {
        var e = Should.Throw<PluginLoadException>(() => Read("id: greeter\nversion: [1.0.0\n"));

        e.Message.ShouldStartWith("plugin.yaml:");
        e.Message.ShouldContain("invalid YAML");
    }

    [Theory]
    [InlineData("")]
    [InlineData("- id: greeter\n")]
    public void Read_NotOneMapping_IsAnError(string text)
    {
        var e = Should.Throw<PluginLoadException>(() => Read(text));

        e.Message.ShouldBe("plugin.yaml must be one mapping with keys id, version, abstractions, assembly");
    }

    [Fact]
    public void Read_NoManifest_SaysSo()
    {
        Should.Throw<PluginLoadException>(() => PluginManifestReader.Read(_temp.Path)).Message.ShouldBe("no plugin.yaml in the folder");
    }

    private PluginManifest Read(string text)
    {
        _temp.Write(PluginManifest.FileName, text);
        return PluginManifestReader.Read(_temp.Path);
    }
}
