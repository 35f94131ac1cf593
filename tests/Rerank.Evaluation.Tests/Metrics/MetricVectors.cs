using Rerank.Testing;


namespace Rerank.Evaluation.Tests.Metrics;

/// <summary>Reads <c>tests/fixtures/testdata/metric_vectors.json</c>.</summary>
internal static class MetricVectors
{
    public sealed record VectorCase(double[] Scores, double[] Labels, Dictionary<string, double> Expected);

    public static TheoryData<int> CaseIndices()
    {
        using var doc = GoldenFiles.Load("metric_vectors.json");
        var data = new TheoryData<int>();
        for (var i = 0; i < doc.RootElement.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static VectorCase Case(int index)
    {
        using var doc = GoldenFiles.Load("metric_vectors.json");
        var c = doc.RootElement.GetProperty("cases")[index];
        var expected = c.EnumerateObject()
            .Where(p => p.Name is not ("labels" or "scores"))
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
        return new VectorCase(c.GetProperty("scores").Doubles(), c.GetProperty("labels").Doubles(), expected);
    }

    public static (double[] Scores, double[] Labels, int[] Sizes, double Expected) Gauc()
    {
        using var doc = GoldenFiles.Load("metric_vectors.json");
        var g = doc.RootElement.GetProperty("gauc");
        var groups = g.GetProperty("groups").EnumerateArray().ToList();
        return (
            [.. groups.SelectMany(x => x.GetProperty("scores").Doubles())],
            [.. groups.SelectMany(x => x.GetProperty("labels").Doubles())],
            [.. groups.Select(x => x.GetProperty("labels").GetArrayLength())],
            g.GetProperty("value").GetDouble());
    }
}
