using NuGet.Versioning;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins;

public sealed class AbstractionsCompatibilityTests
{
    private static readonly NuGetVersion Host = new(1, 2, 0);

    [Theory]
    [InlineData("^1.0.0", "1.0.0")]
    [InlineData("^1.2.0", "1.2.0")]
    [InlineData("[1.0,2.0)", "1.1.5")]
    public void Check_SameMajorNotNewer_Passes(string range, string compiled)
    {
        Should.NotThrow(() => AbstractionsCompatibility.Check(Manifest(range), Version.Parse(compiled), Host));
    }

    [Fact]
    public void Check_CompiledAgainstNewerMinor_FailsNamingBoth()
    {
        var e = Should.Throw<PluginLoadException>(() => AbstractionsCompatibility.Check(Manifest("^1.0.0"), new Version(1, 3, 0, 0), Host));

        e.Message.ShouldBe("incompatible Rerank.Abstractions: it was compiled against Rerank.Abstractions 1.3.0, newer than the host's 1.2.0; rebuild the plugin against Rerank.Abstractions 1.x (at most 1.2.0)");
    }

    [Fact]
    public void Check_RangeExcludesHost_FailsNamingBoth()
    {
        var e = Should.Throw<PluginLoadException>(() => AbstractionsCompatibility.Check(Manifest("^1.5.0"), new Version(1, 0, 0, 0), Host));

        e.Message.ShouldContain("its manifest accepts Rerank.Abstractions ^1.5.0, which excludes the host's 1.2.0");
    }

    [Fact]
    public void ReadCompiledVersion_FixturePlugins_ReadTheReferenceFromMetadata()
    {
        AbstractionsCompatibility.ReadCompiledVersion(Path.Combine(FixturePlugins.Of("greeter", "1.0.0"), "Fixtures.Greeter.dll")).ShouldBe(new Version(1, 0, 0, 0));
        AbstractionsCompatibility.ReadCompiledVersion(Path.Combine(FixturePlugins.Of("incompatible", "1.0.0"), "Fixtures.Incompatible.dll")).ShouldBe(new Version(2, 0, 0, 0));
    }

    [Fact]
    public void ReadCompiledVersion_NotAnAssembly_Fails()
    {
        using var temp = new TempFolder();
        var path = temp.Write("fake.dll", "MZ but not really");

        Should.Throw<PluginLoadException>(() => AbstractionsCompatibility.ReadCompiledVersion(path)).Message.ShouldStartWith("fake.dll is not a .NET assembly");
    }

    [Fact]
    public void ReadCompiledVersion_NoContractReference_Fails()
    {
        var path = typeof(NuGetVersion).Assembly.Location;

        Should.Throw<PluginLoadException>(() => AbstractionsCompatibility.ReadCompiledVersion(path)).Message
            .ShouldBe("NuGet.Versioning.dll does not reference Rerank.Abstractions, so it cannot contain an IRerankPlugin");
    }

    private static PluginManifest Manifest(string range)
    {
        VersionRanges.TryParse(range, out var parsed).ShouldBeTrue();
        return new PluginManifest("p", new NuGetVersion(1, 0, 0), parsed!, range, "p.dll");
    }
}
