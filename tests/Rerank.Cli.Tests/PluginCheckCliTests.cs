using System.Text.Json;
using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary><c>rerank plugins check</c> and <c>rerank plugins install</c> through the real executable.</summary>
public sealed class PluginCheckCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Check_GoodPluginFolder_Exits0AndListsComponentsOptionsAndChecks()
    {
        var result = RerankProcess.Run(_temp.Path, "plugins", "check", FixturePlugins.Of("greeter", "1.0.0"));

        result.ExitCode.ShouldBe(0, result.Stderr + result.Stdout);
        result.Stdout.ShouldContain("Plugin greeter 1.0.0");
        result.Stdout.ShouldContain("manifest accepts ^1.0.0, compiled against 1.0.0, host has 1.0.0: fits");
        result.Stdout.ShouldContain("generator greet: initial order");
        result.Stdout.ShouldContain("rotate  int   0");
        result.Stdout.ShouldContain("ok       generator greet: run: deterministic and well-formed");
        result.Stdout.ShouldContain("0 error(s), 0 warning(s)");
    }

    [Fact]
    public void Check_GoodPackage_Exits0AndLeavesNoTemporaryFolder()
    {
        var nupkg = FixturePlugins.Package(FixturePlugins.ThirdPartyOutput, Path.Combine(_temp.Path, "acme.1.2.0.nupkg"));

        var result = RerankProcess.Run(_temp.Path, "plugins", "check", nupkg);

        result.ExitCode.ShouldBe(0, result.Stderr + result.Stdout);
        result.Stdout.ShouldContain("Plugin acme 1.2.0");
        result.Stdout.ShouldContain("ok       layout: package extracted as acme/1.2.0/");
        result.Stdout.ShouldContain("generator cheapest-first");
        Directory.GetDirectories(_temp.Path).ShouldBeEmpty();
    }

    [Fact]
    public void Check_MissingPrivateDependency_Exits1NamingTheDll()
    {
        var folder = _temp.CopyFrom(FixturePlugins.Of("privatedep", "1.0.0"), Path.Combine("privatedep", "1.0.0"));
        File.Delete(Path.Combine(folder, "YamlDotNet.dll"));

        var result = RerankProcess.Run(_temp.Path, "plugins", "check", folder);

        result.ExitCode.ShouldBe(1, result.Stderr + result.Stdout);
        result.Stdout.ShouldContain("error    dependencies: YamlDotNet.dll listed in Fixtures.PrivateDependency.deps.json but missing from");
    }

    [Fact]
    public void Check_PackageWithoutPluginFolder_Exits2WithOneClearLine()
    {
        var nupkg = Path.Combine(_temp.Path, "plain.nupkg");
        using (var zip = System.IO.Compression.ZipFile.Open(nupkg, System.IO.Compression.ZipArchiveMode.Create))
        {
            zip.CreateEntry("lib/net10.0/Plain.dll");
        }

        var result = RerankProcess.Run(_temp.Path, "plugins", "check", nupkg);

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().ShouldBe($"error: {nupkg} is not a Rerank plugin package: it has no plugin/plugin.yaml");
    }

    [Fact]
    public void Check_MissingPath_Exits2()
    {
        var result = RerankProcess.Run(_temp.Path, "plugins", "check", Path.Combine(_temp.Path, "nothing"));

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("no plugin folder or package at");
    }

    [Fact]
    public void Check_Json_ParsesWithTheSameReport()
    {
        var result = RerankProcess.Run(_temp.Path, "plugins", "check", FixturePlugins.Of("greeter", "1.0.0"), "--json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        root.GetProperty("id").GetString().ShouldBe("greeter");
        root.GetProperty("fits").GetBoolean().ShouldBeTrue();
        root.GetProperty("failed").GetBoolean().ShouldBeFalse();
        var component = root.GetProperty("components").EnumerateArray().Single();
        component.GetProperty("name").GetString().ShouldBe("greet");
        component.GetProperty("params")[0].GetProperty("key").GetString().ShouldBe("rotate");
        root.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("level").GetString()).Distinct().ShouldBe(["ok"]);
    }

    [Fact]
    public void Install_TwiceThenForce_RefusesNamingTheFolderThenReplaces()
    {
        var plugins = Path.Combine(_temp.Path, "plugins");
        var nupkg = FixturePlugins.Package(FixturePlugins.ThirdPartyOutput, Path.Combine(_temp.Path, "acme.1.2.0.nupkg"));

        var first = RerankProcess.Run(_temp.Path, "plugins", "install", nupkg, "--plugins", plugins);
        var second = RerankProcess.Run(_temp.Path, "plugins", "install", nupkg, "--plugins", plugins);
        var forced = RerankProcess.Run(_temp.Path, "plugins", "install", nupkg, "--plugins", plugins, "--force");

        first.ExitCode.ShouldBe(0, first.Stderr);
        first.Stdout.ShouldContain($"Installed acme 1.2.0 in {Path.Combine(plugins, "acme", "1.2.0")}");
        second.ExitCode.ShouldBe(2);
        second.Stderr.ShouldContain($"plugin acme 1.2.0 is already installed in '{Path.Combine(plugins, "acme", "1.2.0")}'; pass --force");
        forced.ExitCode.ShouldBe(0, forced.Stderr);
        forced.Stdout.ShouldContain("(replaced the copy that was there)");
        Directory.EnumerateDirectories(plugins, ".*", SearchOption.AllDirectories).ShouldBeEmpty();
        var list = RerankProcess.Run(_temp.Path, "plugins", "list", "--plugins", plugins);
        list.Stdout.ShouldContain("generator: cheapest-first");
    }
}
