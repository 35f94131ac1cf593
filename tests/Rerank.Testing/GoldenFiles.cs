using System.Text.Json;

namespace Rerank.Testing;

/// <summary>Golden vectors from <c>tests/fixtures/testdata</c> (copied beside the test assembly at build time).</summary>
public static class GoldenFiles
{
    public static JsonDocument Load(string name)
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "testdata", name);
        var path = File.Exists(copied) ? copied : Path.Combine(RepoPaths.TestData, name);
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    public static double[] Doubles(this JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetDouble())];

    public static int[] Ints(this JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetInt32())];
}
