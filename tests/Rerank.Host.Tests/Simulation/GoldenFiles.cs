using System.Text.Json;

namespace Rerank.Host.Tests.Simulation;

/// <summary>Golden vectors from <c>tests/fixtures/testdata</c> (copied beside the test assembly at build time).</summary>
internal static class GoldenFiles
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
