using Rerank.Abstractions;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins;

/// <summary>Loaded plugins used end to end: plugins folder → catalog → pipeline YAML → compiled pipeline → run.</summary>
public sealed class PluginPipelineTests
{
    [Fact]
    public void ThirdPartyPlugin_DroppedIntoPluginsFolder_IsListedAndRunsFromPipelineYaml()
    {
        // Acme.Rerank is built on its own against Rerank.Abstractions alone, with a hand-written plugin.yaml;
        // "installing" it is copying its output folder in as <id>/<version>/.
        using var temp = new TempFolder();
        temp.CopyFrom(FixturePlugins.ThirdPartyOutput, Path.Combine("acme", "1.2.0"));
        using var catalog = PluginLoader.Load(temp.Path);
        var acme = catalog.Plugins.Single();
        acme.Status.ShouldBe(PluginLoadStatus.Loaded, acme.Error);
        (acme.Id, acme.Version!.ToNormalizedString()).ShouldBe(("acme", "1.2.0"));
        acme.Components.Select(c => $"{c.Kind.Word()} {c.Name}").ShouldBe(["generator cheapest-first"]);

        var yaml = """
            name: acme-demo
            stages:
              - generate:
                  use: acme@^1.0/cheapest-first
                  params:
                    max_price: 50
              - truncate: {}
            """;
        var pipeline = Compile(catalog, yaml);
        var run = pipeline.Run(FixturePlugins.Batch(3, 30, 10, 99, 20, 40), new RerankContext(7));

        run.Slates[0].Indices.ShouldBe([1, 3, 0]);
        pipeline.Describe().ShouldContain("generator=acme@1.2.0/cheapest-first");
    }

    [Theory]
    [InlineData("{ max_price: 10, colour: red }", "bad.yaml:5:32: generator 'acme@1.2.0/cheapest-first': params: unknown key 'colour'; known keys: descending, max_price")]
    [InlineData("{ max_price: -1 }", "max_price must be positive, got -1")]
    public void ThirdPartyPlugin_BadParams_AreReportedWithTheirLocation(string parameters, string expected)
    {
        using var temp = new TempFolder();
        temp.CopyFrom(FixturePlugins.ThirdPartyOutput, Path.Combine("acme", "1.2.0"));
        using var catalog = new PluginLoader().LoadFolder(temp.Path);

        var errors = new List<ConfigError>();
        var yaml = $"name: bad\nstages:\n  - generate:\n      use: acme/cheapest-first\n      params: {parameters}\n";
        var spec = PipelineParser.ParseText(yaml, "bad.yaml", temp.Path, errors);
        PipelineCompiler.Compile(spec!, new ComponentFactory(catalog, null, 1), errors).ShouldBeNull();

        errors.Single().ToString().ShouldContain(expected);
        errors.Single().Location.Line.ShouldBe(5);
    }

    [Fact]
    public void SideBySideVersions_PipelinesPinningEachMajor_RunTheirOwnVersion()
    {
        using var catalog = new PluginLoader().LoadFolder(FixturePlugins.Folder);
        var batch = FixturePlugins.Batch(4, 1, 2, 3, 4);

        var v1 = Compile(catalog, "name: one\nstages:\n  - generate: { use: greeter@^1/greet }\n").Run(batch, new RerankContext(1));
        var v2 = Compile(catalog, "name: two\nstages:\n  - generate: { use: greeter@^2/greet }\n").Run(batch, new RerankContext(1));

        v1.Slates[0].Score.ShouldBe(1.0);
        v1.Slates[0].Indices.ShouldBe([0, 1, 2, 3]);
        v2.Slates[0].Score.ShouldBe(2.0);
        v2.Slates[0].Indices.ShouldBe([3, 2, 1, 0]);
    }

    [Fact]
    public void ThirdPartyProject_ReferencesOnlyTheContracts()
    {
        var csproj = System.Xml.Linq.XDocument.Load(Path.Combine(RepoPaths.Root, "tests", "fixtures", "ThirdParty", "ThirdParty.csproj"));

        csproj.Descendants("ProjectReference").Select(e => Path.GetFileName(e.Attribute("Include")!.Value)).ShouldBe(["Rerank.Abstractions.csproj"]);
        csproj.Descendants("PackageReference").ShouldBeEmpty();
        csproj.Descendants("Import").ShouldBeEmpty();
        File.Exists(Path.Combine(FixturePlugins.ThirdPartyOutput, "Rerank.Abstractions.dll")).ShouldBeFalse();
    }

    private static CompiledPipeline Compile(PluginCatalog catalog, string yaml)
    {
        var errors = new List<ConfigError>();
        var spec = PipelineParser.ParseText(yaml, "test.yaml", Path.GetTempPath(), errors);
        var pipeline = spec is null ? null : PipelineCompiler.Compile(spec, new ComponentFactory(catalog, null, 7), errors);
        errors.ShouldBeEmpty();
        return pipeline!;
    }
}
