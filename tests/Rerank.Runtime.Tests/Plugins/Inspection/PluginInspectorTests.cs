using Rerank.Runtime.Plugins.Inspection;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins.Inspection;

public sealed class PluginInspectorTests
{
    [Fact]
    public void Inspect_GoodPlugin_ReportsIdentityVersionsComponentsAndParams()
    {
        using var source = PluginSource.Open(FixturePlugins.Of("greeter", "1.0.0"));
        using var inspection = PluginInspector.Inspect(source);
        var report = inspection.Report;

        report.Checks.Where(c => c.Level != CheckLevel.Ok).ShouldBeEmpty();
        (report.Id, report.Version, report.AbstractionsRange, report.CompiledAgainst, report.Fits).ShouldBe(("greeter", "1.0.0", "^1.0.0", "1.0.0", true));
        var component = report.Components.ShouldHaveSingleItem();
        (component.Kind, component.Name).ShouldBe(("generator", "greet"));
        component.Params.ShouldBe([new Rerank.Runtime.Plugins.ParamRow("rotate", "int", "0", "")]);
        inspection.Plugin.ShouldNotBeNull();
    }

    [Fact]
    public void Inspect_MissingPrivateDependency_ErrorNamesTheDll()
    {
        using var temp = new TempFolder();
        var folder = temp.CopyFrom(FixturePlugins.Of("privatedep", "1.0.0"), Path.Combine("privatedep", "1.0.0"));
        File.Delete(Path.Combine(folder, "YamlDotNet.dll"));
        using var source = PluginSource.Open(folder);
        using var inspection = PluginInspector.Inspect(source);

        var error = inspection.Report.Checks.Single(c => c.Level == CheckLevel.Error);
        error.Check.ShouldBe("dependencies");
        error.Message.ShouldStartWith("YamlDotNet.dll listed in Fixtures.PrivateDependency.deps.json but missing from " + folder);
    }

    [Fact]
    public void Inspect_CopyOfTheHostsContracts_IsAWarning()
    {
        using var temp = new TempFolder();
        var folder = temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine("greeter", "1.0.0"));
        File.Copy(FixturePlugins.AbstractionsV2, Path.Combine(folder, "Rerank.Abstractions.dll"));
        using var source = PluginSource.Open(folder);
        using var inspection = PluginInspector.Inspect(source);

        inspection.Report.Failed.ShouldBeFalse();
        var warning = inspection.Report.Checks.Single(c => c.Level == CheckLevel.Warning);
        warning.Check.ShouldBe("contracts");
        warning.Message.ShouldStartWith("Rerank.Abstractions.dll duplicates an assembly the host shares with plugins; it is ignored at load time");
        inspection.Report.Checks.Single(c => c.Check == "signatures").Level.ShouldBe(CheckLevel.Ok);
    }

    [Fact]
    public void Inspect_IncompatiblePlugin_ReportsVersionsAndDoesNotLoadIt()
    {
        using var source = PluginSource.Open(FixturePlugins.Of("incompatible", "1.0.0"));
        using var inspection = PluginInspector.Inspect(source);

        inspection.Report.Fits.ShouldBeFalse();
        inspection.Report.CompiledAgainst.ShouldBe("2.0.0");
        inspection.Report.Checks.Single(c => c.Level == CheckLevel.Error).Check.ShouldBe("abstractions");
        inspection.Plugin.ShouldBeNull();
    }

    [Fact]
    public void Inspect_BuildOutputNotLaidOut_IsCheckedInPlace()
    {
        using var source = PluginSource.Open(FixturePlugins.ThirdPartyOutput);
        using var inspection = PluginInspector.Inspect(source);

        inspection.Report.Failed.ShouldBeFalse(string.Join("\n", inspection.Report.Checks));
        inspection.Report.Checks.Single(c => c.Check == "layout").Message.ShouldContain("lays it out as acme/1.2.0/");
        inspection.Report.Components.Select(c => c.Name).ShouldBe(["cheapest-first"]);
    }
}
