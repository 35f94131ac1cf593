using System.Runtime.Loader;
using Rerank.Abstractions;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins;

/// <summary>The loader against real fixture plugins (tests/fixtures), laid out by the build under artifacts/fixtures/plugins.</summary>
public sealed class PluginLoaderTests
{
    [Fact]
    public void LoadFolder_Fixtures_LoadsGoodOnesAndRejectsEachBadOne()
    {
        using var catalog = new PluginLoader().LoadFolder(FixturePlugins.Folder);

        catalog.Plugins.Where(p => p.Status == PluginLoadStatus.Loaded).Select(p => $"{p.Id}@{p.Version}")
            .ShouldBe(["greeter@1.0.0", "greeter@2.0.0", "privatedep@1.0.0", "throwing-component@1.0.0"]);
        catalog.Plugins.Where(p => p.Status == PluginLoadStatus.Failed).Select(p => $"{p.Id}@{p.Version}")
            .ShouldBe(["incompatible@1.0.0", "throwing@1.0.0"]);
        foreach (var failed in catalog.Plugins.Where(p => p.Status == PluginLoadStatus.Failed))
        {
            failed.Error.ShouldStartWith($"plugin '{failed.Id}' {failed.Version}: ");
            failed.Error!.ShouldNotContain("\n");
            failed.LoadContext.ShouldBeNull();
            failed.Components.ShouldBeEmpty();
        }
    }

    [Fact]
    public void LoadFolder_TwoVersionsOfOnePlugin_LoadSideBySideInTheirOwnContexts()
    {
        using var catalog = new PluginLoader().LoadFolder(FixturePlugins.Folder);
        var v1 = catalog.Plugins.Single(p => p.Id == "greeter" && p.Version!.Major == 1);
        var v2 = catalog.Plugins.Single(p => p.Id == "greeter" && p.Version!.Major == 2);

        v1.LoadContext.ShouldNotBeNull();
        v2.LoadContext.ShouldNotBeNull();
        v1.LoadContext.ShouldNotBeSameAs(v2.LoadContext);
        v1.LoadContext!.IsCollectible.ShouldBeTrue();
        var g1 = Build(v1);
        var g2 = Build(v2);
        g1.GetType().Assembly.GetName().Name.ShouldBe("Fixtures.Greeter");
        g2.GetType().Assembly.GetName().Name.ShouldBe("Fixtures.Greeter");
        g1.GetType().ShouldNotBe(g2.GetType());

        var batch = FixturePlugins.Batch(3, 1, 2, 3, 4);
        var s1 = g1.Generate(batch, 1, new RerankContext(1))[0][0];
        var s2 = g2.Generate(batch, 1, new RerankContext(1))[0][0];
        s1.Score.ShouldBe(1.0);
        s1.Indices.ShouldBe([0, 1, 2, 3]);
        s2.Score.ShouldBe(2.0);
        s2.Indices.ShouldBe([3, 2, 1, 0]);
    }

    [Fact]
    public void LoadPlugin_PrivateDependencyOfAnotherVersion_GetsItsOwnCopyWhileTheHostKeepsItsOwn()
    {
        using var catalog = new PluginCatalog([new PluginLoader().LoadPlugin(FixturePlugins.Of("privatedep", "1.0.0"))]);
        var plugin = catalog.Plugins.Single();
        plugin.Status.ShouldBe(PluginLoadStatus.Loaded, plugin.Error);

        var generator = Build(plugin, "order: '[2, 0, 1]'");
        var slate = generator.Generate(FixturePlugins.Batch(3, 1, 2, 3), 1, new RerankContext(1))[0][0];

        var hostYaml = typeof(YamlDotNet.RepresentationModel.YamlStream).Assembly;
        var pluginYaml = plugin.LoadContext!.Assemblies.Single(a => a.GetName().Name == "YamlDotNet");
        hostYaml.GetName().Version!.Major.ShouldBe(16);
        pluginYaml.GetName().Version!.Major.ShouldBe(15);
        AssemblyLoadContext.GetLoadContext(hostYaml).ShouldBe(AssemblyLoadContext.Default);
        pluginYaml.Location.ShouldStartWith(FixturePlugins.Of("privatedep", "1.0.0"));
        slate.Indices.ShouldBe([2, 0, 1]);
        slate.Score.ShouldBe(15, "the plugin's code ran with its own YamlDotNet 15");
        plugin.Components.Single().Description.ShouldContain("YamlDotNet 15.");
    }

    [Fact]
    public void LoadPlugin_Loaded_SharesTheHostsContractTypes()
    {
        using var temp = new TempFolder();

        // A careless author ships Rerank.Abstractions.dll as a private dependency (in the folder and in its deps.json):
        // it must be ignored, or the plugin's IGenerator would not be the host's.
        var folder = temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine("greeter", "1.0.0"));
        File.Copy(typeof(IRerankPlugin).Assembly.Location, Path.Combine(folder, "Rerank.Abstractions.dll"));
        File.WriteAllText(Path.Combine(folder, "Fixtures.Greeter.deps.json"), DepsWithPrivateContracts);
        using var catalog = new PluginLoader().LoadFolder(temp.Path);
        var plugin = catalog.Plugins.Single();
        plugin.Status.ShouldBe(PluginLoadStatus.Loaded, plugin.Error);

        var generator = Build(plugin);
        generator.ShouldBeAssignableTo<IGenerator>();
        plugin.LoadContext!.Assemblies.Select(a => a.GetName().Name).ShouldBe(["Fixtures.Greeter"]);
        var referenced = generator.GetType().Assembly.GetReferencedAssemblies().Single(a => a.Name == "Rerank.Abstractions");
        plugin.LoadContext.LoadFromAssemblyName(referenced).ShouldBeSameAs(typeof(IRerankPlugin).Assembly);
    }

    [Fact]
    public void LoadPlugin_OwnContractsCopyOfAnotherVersion_StillBindsToTheHostsTypes()
    {
        using var temp = new TempFolder();

        // The plugin ships its own Rerank.Abstractions.dll at assembly version 2.0.0 (the Abstractions.V2 fixture), listed
        // in its deps.json. The host's 1.0.0 copy must win: never the plugin's copy, never a silent fallback to it.
        var folder = temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine("greeter", "1.0.0"));
        var copy = Path.Combine(folder, "Rerank.Abstractions.dll");
        File.Copy(FixturePlugins.AbstractionsV2, copy);
        File.WriteAllText(Path.Combine(folder, "Fixtures.Greeter.deps.json"), DepsWithPrivateContracts.Replace("Rerank.Abstractions/1.0.0", "Rerank.Abstractions/2.0.0", StringComparison.Ordinal));
        System.Reflection.AssemblyName.GetAssemblyName(copy).Version.ShouldBe(new Version(2, 0, 0, 0));
        typeof(IGenerator).Assembly.GetName().Version.ShouldBe(new Version(1, 0, 0, 0));
        using var catalog = new PluginLoader().LoadFolder(temp.Path);
        var plugin = catalog.Plugins.Single();
        plugin.Status.ShouldBe(PluginLoadStatus.Loaded, plugin.Error);

        var generator = Build(plugin);
        generator.ShouldBeAssignableTo<IGenerator>();
        generator.GetType().GetInterfaces().ShouldContain(typeof(IGenerator));
        var context = plugin.LoadContext!;
        var pluginAssembly = context.Assemblies.Single();
        pluginAssembly.GetType("Fixtures.Greeter.GreeterPlugin")!.GetInterfaces().ShouldContain(typeof(IRerankPlugin));
        var pluginsIGenerator = context.LoadFromAssemblyName(pluginAssembly.GetReferencedAssemblies().Single(a => a.Name == "Rerank.Abstractions")).GetType(typeof(IGenerator).FullName!);
        pluginsIGenerator.ShouldBeSameAs(typeof(IGenerator));
        AppDomain.CurrentDomain.GetAssemblies().ShouldNotContain(a => a.Location == copy);

        // Even asking for exactly the 2.0.0 the folder holds gives the host's copy, never the plugin's.
        context.LoadFromAssemblyName(new System.Reflection.AssemblyName("Rerank.Abstractions, Version=2.0.0.0")).ShouldBeSameAs(typeof(IGenerator).Assembly);
        context.Assemblies.ShouldNotContain(a => a.GetName().Name == "Rerank.Abstractions");
    }

    [Fact]
    public void LoadPlugin_FolderWithTrailingSeparator_Loads()
    {
        var plugin = new PluginLoader().LoadPlugin(FixturePlugins.Of("greeter", "2.0.0") + Path.DirectorySeparatorChar);

        plugin.Status.ShouldBe(PluginLoadStatus.Loaded, plugin.Error);
        plugin.LoadContext!.Unload();
    }

    [Fact]
    public void LoadPlugin_RegisterThrows_FailsNamingPluginVersionAndCause()
    {
        var plugin = new PluginLoader().LoadPlugin(FixturePlugins.Of("throwing", "1.0.0"));

        plugin.Status.ShouldBe(PluginLoadStatus.Failed);
        plugin.Error.ShouldBe("plugin 'throwing' 1.0.0: Register threw InvalidOperationException: fixture failure: the model file is missing");
        plugin.Components.ShouldBeEmpty();
    }

    [Fact]
    public void LoadPlugin_IncompatibleAbstractionsMajor_FailsNamingBothVersions()
    {
        var plugin = new PluginLoader().LoadPlugin(FixturePlugins.Of("incompatible", "1.0.0"));

        plugin.Status.ShouldBe(PluginLoadStatus.Failed);
        plugin.Error.ShouldStartWith("plugin 'incompatible' 1.0.0: incompatible Rerank.Abstractions: ");
        plugin.Error!.ShouldContain("its manifest accepts Rerank.Abstractions ^2.0.0, which excludes the host's 1.0.0");
        plugin.Error!.ShouldContain("compiled against Rerank.Abstractions 2.0.0 (major 2) but the host has 1.0.0 (major 1)");
    }

    [Fact]
    public void LoadPlugin_HostOfAnotherMajor_RefusesPluginsBuiltFor1x()
    {
        var plugin = new PluginLoader(new NuGet.Versioning.NuGetVersion(2, 0, 0)).LoadPlugin(FixturePlugins.Of("greeter", "1.0.0"));

        plugin.Status.ShouldBe(PluginLoadStatus.Failed);
        plugin.Error!.ShouldContain("its manifest accepts Rerank.Abstractions ^1.0.0, which excludes the host's 2.0.0");
    }

    [Fact]
    public void LoadFolder_FolderIdDiffersFromManifest_FailsNamingBoth()
    {
        using var temp = new TempFolder();
        temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine("welcome", "1.0.0"));

        using var catalog = new PluginLoader().LoadFolder(temp.Path);

        catalog.Plugins.Single().Error.ShouldBe("plugin 'greeter' 1.0.0: the manifest says id 'greeter' but the folder is 'welcome/'; lay plugins out as <id>/<version>/");
    }

    [Fact]
    public void LoadFolder_FolderVersionDiffersFromManifest_FailsNamingBoth()
    {
        using var temp = new TempFolder();
        temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine("greeter", "1.5.0"));

        using var catalog = new PluginLoader().LoadFolder(temp.Path);

        catalog.Plugins.Single().Error.ShouldBe("plugin 'greeter' 1.0.0: the manifest says version 1.0.0 but the folder is '1.5.0/'; lay plugins out as <id>/<version>/");
    }

    [Fact]
    public void LoadFolder_EntryTypeDisagreesWithManifest_Fails()
    {
        using var temp = new TempFolder();
        var folder = temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine("greeter", "1.1.0"));
        var manifest = Path.Combine(folder, "plugin.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("version: 1.0.0", "version: 1.1.0", StringComparison.Ordinal));

        using var catalog = new PluginLoader().LoadFolder(temp.Path);

        catalog.Plugins.Single().Error.ShouldBe("plugin 'greeter' 1.1.0: Fixtures.Greeter.GreeterPlugin.Version is '1.0.0' but the manifest says 1.1.0");
    }

    [Fact]
    public void LoadFolder_ManifestNamesMissingAssembly_Fails()
    {
        using var temp = new TempFolder();
        var folder = temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine("greeter", "1.0.0"));
        File.Delete(Path.Combine(folder, "Fixtures.Greeter.dll"));

        using var catalog = new PluginLoader().LoadFolder(temp.Path);

        catalog.Plugins.Single().Error.ShouldBe("plugin 'greeter' 1.0.0: the manifest names assembly Fixtures.Greeter.dll, which is not in the folder");
    }

    [Fact]
    public void LoadFolder_ManifestDirectlyInIdFolder_FailsOnceAndSkipsItsSubfolders()
    {
        using var temp = new TempFolder();
        temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), "greeter");
        temp.Write(Path.Combine("greeter", "runtimes", "linux-x64", "native.txt"), "not a plugin version");

        using var catalog = new PluginLoader().LoadFolder(temp.Path);

        catalog.Plugins.Single().Error.ShouldBe("plugin 'greeter' (unknown version): plugin.yaml sits directly in 'greeter/'; lay plugins out as <id>/<version>/");
    }

    [Fact]
    public void LoadFolder_SameVersionInTwoFolders_LoadsTheFirstAndRefusesTheSecond()
    {
        using var temp = new TempFolder();
        temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine("greeter", "1.0"));
        temp.CopyFrom(FixturePlugins.Of("greeter", "1.0.0"), Path.Combine("greeter", "1.0.0"));

        using var catalog = new PluginLoader().LoadFolder(temp.Path);

        catalog.Plugins.Count(p => p.Status == PluginLoadStatus.Loaded).ShouldBe(1);
        var refused = catalog.Plugins.Single(p => p.Status == PluginLoadStatus.Failed);
        refused.Error.ShouldStartWith("plugin 'greeter' 1.0.0: the same id and version is already loaded from '");
        refused.LoadContext.ShouldBeNull();
    }

    [Fact]
    public void LoadFolder_MissingFolder_ThrowsNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "rerank-no-such-" + Guid.NewGuid().ToString("N"));

        var e = Should.Throw<DirectoryNotFoundException>(() => new PluginLoader().LoadFolder(missing));

        e.Message.ShouldContain(missing);
    }

    [Fact]
    public void LoadFolder_HiddenAndEmptyFolders_AreIgnoredOrReported()
    {
        using var temp = new TempFolder();
        temp.Write(Path.Combine(".cache", "1.0.0", "plugin.yaml"), "id: cache");
        Directory.CreateDirectory(Path.Combine(temp.Path, "empty", "1.0.0"));

        using var catalog = new PluginLoader().LoadFolder(temp.Path);

        catalog.Plugins.Single().Error.ShouldBe("plugin 'empty' 1.0.0: no plugin.yaml in the folder");
    }

    private const string DepsWithPrivateContracts = """
        {
          "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0", "signature": "" },
          "targets": {
            ".NETCoreApp,Version=v10.0": {
              "Fixtures.Greeter/1.0.0": { "dependencies": { "Rerank.Abstractions": "1.0.0" }, "runtime": { "Fixtures.Greeter.dll": {} } },
              "Rerank.Abstractions/1.0.0": { "runtime": { "Rerank.Abstractions.dll": {} } }
            }
          },
          "libraries": {
            "Fixtures.Greeter/1.0.0": { "type": "project", "serviceable": false, "sha512": "" },
            "Rerank.Abstractions/1.0.0": { "type": "project", "serviceable": false, "sha512": "" }
          }
        }
        """;

    internal static IGenerator Build(LoadedPlugin plugin, string? paramsYaml = null)
    {
        var registration = plugin.Components.Single(c => c.Kind == ComponentKind.Generator);
        var errors = new List<ConfigError>();
        var parameters = paramsYaml is null ? null : Rerank.Runtime.Configuration.YamlParams.Parse(paramsYaml, "test.yaml");
        var options = registration.BindOptions(parameters, errors);
        errors.ShouldBeEmpty();
        var context = new ComponentContext(plugin.Id, plugin.Version!.ToNormalizedString(), registration.Name, null, 1);
        return registration.Create(options!, context).ShouldBeAssignableTo<IGenerator>()!;
    }
}
