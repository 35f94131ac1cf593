using System.IO.Compression;
using System.Reflection;
using Rerank.Abstractions;

namespace Rerank.Testing;

/// <summary>Where the fixture plugins (tests/fixtures) are laid out by the build, and small helpers around them.</summary>
public static class FixturePlugins
{
    /// <summary><c>artifacts/fixtures/plugins</c>: greeter 1.0.0 and 2.0.0, privatedep, throwing, throwing-component, incompatible.</summary>
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "artifacts", "fixtures", "plugins");

    /// <summary>The build output of the third-party fixture (Acme.Rerank), built in the same configuration as these tests.</summary>
    public static string ThirdPartyOutput { get; } = Path.Combine(RepoPaths.Root, "tests", "fixtures", "ThirdParty", "bin", Configuration, "net10.0");

    /// <summary>
    /// The Abstractions.V2 fixture's output: an assembly named Rerank.Abstractions with assembly version 2.0.0, the stand-in
    /// for a plugin-private copy of the contracts at another version.
    /// </summary>
    public static string AbstractionsV2 { get; } = Path.Combine(RepoPaths.Root, "tests", "fixtures", "Abstractions.V2", "bin", Configuration, "net10.0", "Rerank.Abstractions.dll");

    /// <summary>Writes a plugin package: every file of <paramref name="pluginFolder"/> under <c>plugin/</c> of a zip at <paramref name="nupkg"/>.</summary>
    public static string Package(string pluginFolder, string nupkg)
    {
        using var zip = ZipFile.Open(nupkg, ZipArchiveMode.Create);
        foreach (var file in Directory.EnumerateFiles(pluginFolder, "*", SearchOption.AllDirectories))
        {
            zip.CreateEntryFromFile(file, "plugin/" + Path.GetRelativePath(pluginFolder, file).Replace('\\', '/'));
        }

        zip.CreateEntry("fixture.nuspec");
        return nupkg;
    }

    private static string Configuration =>
        typeof(FixturePlugins).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>One laid-out fixture plugin folder.</summary>
    public static string Of(string id, string version) => Path.Combine(Folder, id, version);

    /// <summary>A batch of one request with <paramref name="prices"/>.Length candidates ("c0", "c1", …), each with a ctr prior and a price.</summary>
    public static RerankBatch Batch(int slateSize, params float[] prices)
    {
        var schema = new FeatureSchema([], ["ctr"], 0);
        var candidates = prices.Select((p, i) => new Item { Id = $"c{i}", Priors = [1f / (i + 1)], Price = p }).ToList();
        return RerankBatch.Create(schema, [new RerankRequest { RequestId = "r1", Candidates = candidates, SlateSize = slateSize }]);
    }
}
