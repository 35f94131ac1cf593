using System.Reflection;
using Rerank.Abstractions;

namespace Rerank.Host.Tests.Plugins;

/// <summary>Where the fixture plugins (tests/fixtures) are laid out by the build, and small helpers around them.</summary>
internal static class FixturePlugins
{
    /// <summary><c>artifacts/fixtures/plugins</c>: greeter 1.0.0 and 2.0.0, privatedep, throwing, throwing-component, incompatible.</summary>
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "artifacts", "fixtures", "plugins");

    /// <summary>The build output of the third-party fixture (Acme.Rerank), built in the same configuration as these tests.</summary>
    public static string ThirdPartyOutput { get; } = Path.Combine(RepoPaths.Root, "tests", "fixtures", "ThirdParty", "bin", Configuration, "net10.0");

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

/// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rerank-plugins-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Copies every file of <paramref name="source"/> (recursively) into <c>&lt;this&gt;/&lt;relative&gt;</c>; returns the target.</summary>
    public string CopyFrom(string source, string relative)
    {
        var target = System.IO.Path.Combine(Path, relative);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    /// <summary>Writes <paramref name="text"/> to <c>&lt;this&gt;/&lt;relative&gt;</c>, creating folders.</summary>
    public string Write(string relative, string text)
    {
        var to = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
        File.WriteAllText(to, text);
        return to;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A loaded plugin may still map a file on some platforms; the temp folder is cleaned by the OS later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
