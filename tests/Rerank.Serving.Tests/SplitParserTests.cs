using Rerank.Abstractions;
using Rerank.Serving;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class SplitParserTests
{
    private static readonly HashSet<string> Pipelines = new(StringComparer.OrdinalIgnoreCase) { "v1", "v2" };

    private static (IReadOnlyList<TrafficSplit> Splits, List<ConfigError> Errors) Read(string yaml)
    {
        var path = Path.Combine(ServingFixtures.NewFolder(), SplitParser.FileName);
        File.WriteAllText(path, yaml);
        var errors = new List<ConfigError>();
        return (SplitParser.Read(path, Pipelines, errors), errors);
    }

    [Fact]
    public void Read_ValidFile_ReturnsArmsWithWeightsAndNames()
    {
        var (splits, errors) = Read("splits:\n  - name: ab\n    salt: exp-1\n    arms:\n      - { pipeline: v1, weight: 90% }\n      - { pipeline: v2, weight: 10, name: canary }\n");
        errors.ShouldBeEmpty();
        var split = splits.ShouldHaveSingleItem();
        split.Salt.ShouldBe("exp-1");
        split.Arms.Select(a => (a.Name, a.Pipeline, a.Weight)).ShouldBe([("v1", "v1", 90d), ("canary", "v2", 10d)]);
    }

    [Fact]
    public void Read_BadFile_CollectsEveryErrorWithLocation()
    {
        var (_, errors) = Read("splits:\n  - name: v1\n    arms:\n      - { pipeline: v3, weight: 1 }\n      - { pipeline: v2, weight: -5 }\n      - { pipeline: v2, wieght: 1 }\n");
        var messages = errors.Select(e => e.ToString()).ToList();
        messages.ShouldContain(m => m.Contains("split 'v1' has the name of a pipeline", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains(":4:", StringComparison.Ordinal) && m.Contains("arm pipeline 'v3' is not loaded; pipelines: v1, v2", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains(":5:", StringComparison.Ordinal) && m.Contains("weight must be in (0, 1000000] (relative; a trailing % is allowed), got '-5'", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("unknown key 'wieght'", StringComparison.Ordinal));
    }
}
