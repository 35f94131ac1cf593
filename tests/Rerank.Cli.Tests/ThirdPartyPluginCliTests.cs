using System.Text.Json;
using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary>
/// Acceptance, end to end through the real executable: a plugin compiled separately against Rerank.Abstractions alone and
/// dropped into the plugins folder is listed by <c>rerank plugins list</c> and runs from an experiment's pipeline YAML.
/// </summary>
public sealed class ThirdPartyPluginCliTests : IDisposable
{
    private readonly TempFolder _plugins = new();
    private readonly string _work = Directory.CreateTempSubdirectory("rerank-third-party-").FullName;

    public ThirdPartyPluginCliTests()
    {
        Copy(FixturePlugins.ThirdPartyOutput, Path.Combine(_plugins.Path, "acme", "1.2.0"));
        Copy(Path.Combine(RepoPaths.Root, "artifacts", "plugins", "baselines", "1.0.0"), Path.Combine(_plugins.Path, "baselines", "1.0.0"));
    }

    public void Dispose()
    {
        _plugins.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public void PluginsList_DroppedInPlugin_IsListedWithItsVersionAndComponents()
    {
        var result = RerankProcess.Run(_work, "plugins", "list", "--plugins", _plugins.Path);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("acme");
        result.Stdout.ShouldContain("1.2.0");
        result.Stdout.ShouldContain("generator: cheapest-first");
        result.Stdout.ShouldContain("baselines");
    }

    [Fact]
    public void Run_ExperimentUsingDroppedInPlugin_WritesItsRow()
    {
        var experiment = Path.Combine(_work, "e.yaml");
        File.WriteAllText(experiment, """
            name: third-party
            seed: 3
            dataset:
              type: simulator
              params: { candidates: 8, slate_size: 4, train_requests: 10, validation_requests: 10, test_requests: 40 }
            evaluation: { hit_rate_lists: 200, latency_requests: 5, warmup_requests: 1 }
            pipelines:
              - name: acme-cheapest
                stages:
                  - generate: { use: acme@^1.2/cheapest-first }
                  - truncate: {}
              - name: initial
                stages: [ { generate: { use: baselines/initial } }, { truncate: {} } ]
            """);
        var result = RerankProcess.Run(_work, "run", experiment, "--out", Path.Combine(_work, "out"), "--plugins", _plugins.Path);
        result.ExitCode.ShouldBe(0, result.Stderr + result.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_work, "out", "results.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("pipeline").GetString()).ShouldBe(["acme-cheapest", "initial"]);
        rows[0].GetProperty("metrics").GetProperty("utility").GetDouble().ShouldBeGreaterThan(0);
    }

    private static void Copy(string from, string to)
    {
        Directory.Exists(from).ShouldBeTrue($"{from} should exist after the build");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
