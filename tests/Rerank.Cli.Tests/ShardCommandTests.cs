using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary>
/// The sharded evaluation through the CLI, as the Kubernetes Jobs run it (deploy/k8s/jobs): <c>run --train-only</c>, three
/// <c>run --shard i/3</c> sharing its checkpoints, <c>merge</c>: results.csv and results.md equal the unsharded run's
/// but for the latency columns.
/// </summary>
public sealed class ShardCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Quickstart_ThreeShardsMerged_WritesTheUnshardedResultsButLatencies()
    {
        var experiment = Path.Combine(RepoPaths.Root, "experiments", "quickstart.yaml");
        var checkpoints = Path.Combine(_folder.Path, "work", "checkpoints");
        Ok(RerankProcess.Run(_folder.Path, "run", experiment, "--out", "whole"));
        var train = Ok(RerankProcess.Run(_folder.Path, "run", experiment, "--train-only", "--checkpoints", checkpoints));
        train.Stdout.ShouldContain("trained every component of 3 seed(s)");
        for (var i = 0; i < 3; i++)
        {
            var shard = Ok(RerankProcess.Run(_folder.Path, "run", experiment, "--shard", $"{i}/3", "--checkpoints", checkpoints, "--out", $"shard-{i}"));
            shard.Stdout.ShouldContain($"shard {i}/3: test requests ");
            shard.Stdout.ShouldContain("loaded", Case.Sensitive, "the shard loads what --train-only trained");
        }

        var merge = Ok(RerankProcess.Run(_folder.Path, "merge", "shard-2", "shard-0", "shard-1", "--out", "merged"));
        merge.Stdout.ShouldContain("merging 3 shard(s) of quickstart");

        foreach (var file in new[] { "results.csv", "results.md" })
        {
            var whole = WithoutLatencyColumns(File.ReadAllText(Path.Combine(_folder.Path, "whole", file)), file);
            var merged = WithoutLatencyColumns(File.ReadAllText(Path.Combine(_folder.Path, "merged", file)), file);
            merged.ShouldBe(whole, $"{file} of the merge differs from the unsharded run's");
        }

        File.Exists(Path.Combine(_folder.Path, "merged", "report.html")).ShouldBeTrue();
    }

    [Fact]
    public void Merge_ShardMissing_IsAnErrorNamingIt()
    {
        var experiment = Path.Combine(RepoPaths.Root, "experiments", "quickstart.yaml");
        Ok(RerankProcess.Run(_folder.Path, "run", experiment, "--shard", "0/2", "--out", "shard-0"));

        var merge = RerankProcess.Run(_folder.Path, "merge", "shard-0", "--out", "merged");

        merge.ExitCode.ShouldNotBe(0);
        merge.Stderr.ShouldContain("shard 1/2 missing");
        Directory.Exists(Path.Combine(_folder.Path, "merged")).ShouldBeFalse("nothing is written when the shards do not tile the run");
    }

    private static RerankProcess.Result Ok(RerankProcess.Result result)
    {
        result.ExitCode.ShouldBe(0, result.Stdout + result.Stderr);
        return result;
    }

    /// <summary>The file without its latency columns: CSV columns named latency_*, Markdown table cells under such a header.</summary>
    private static string WithoutLatencyColumns(string text, string file)
    {
        var separator = file.EndsWith(".csv", StringComparison.Ordinal) ? ',' : '|';
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        HashSet<int> drop = [];
        var output = new List<string>();
        foreach (var line in lines)
        {
            var cells = line.Split(separator);
            var header = separator == ',' ? output.Count == 0 : line.StartsWith("| pipeline |", StringComparison.Ordinal);
            if (header)
            {
                drop = [.. cells.Select((c, i) => (c.Trim(), i)).Where(x => x.Item1.StartsWith("latency_", StringComparison.Ordinal) || x.Item1.Contains("[latency_", StringComparison.Ordinal)).Select(x => x.i)];
            }
            else if (!line.StartsWith('|') && separator == '|')
            {
                drop = [];
            }

            output.Add(string.Join(separator, cells.Where((_, i) => !drop.Contains(i))));
        }

        return string.Join('\n', output);
    }
}
