using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary><c>rerank export-logs</c> as a process: a MovieLens-format folder written as a CSV log that <c>rerank run</c> reads back with the printed block.</summary>
public sealed class ExportLogsCommandTests
{
    [Fact]
    public void ExportLogs_MovieLensExperiment_WritesALogThatRunReadsWithThePrintedBlock()
    {
        using var folder = new TempFolder();
        var ml = Directory.CreateDirectory(Path.Combine(folder.Path, "ml")).FullName;
        File.WriteAllLines(Path.Combine(ml, "u.occupation"), ["student", "writer"]);
        File.WriteAllLines(Path.Combine(ml, "u.user"), ["1|24|M|student|00000", "2|60|F|writer|00000"]);
        var genres = string.Join('|', Enumerable.Repeat("0", 18));
        File.WriteAllLines(Path.Combine(ml, "u.item"), [.. Enumerable.Range(1, 8).Select(m => $"{m}|Movie {m}|01-Jan-1995||http://x|1|{genres}")]);
        File.WriteAllLines(Path.Combine(ml, "u.data"), ["1\t3\t4\t30", "1\t1\t5\t10", "1\t2\t2\t20", "1\t4\t5\t40", "1\t5\t1\t50", "2\t6\t4\t5", "2\t7\t3\t6"]);
        const string Pipelines = "pipelines:\n  - { name: initial, stages: [ { generate: { use: baselines/initial, params: { prior: popularity } } }, { truncate: {} } ] }\n";
        File.WriteAllText(Path.Combine(folder.Path, "ml.yaml"), "name: ml\nseed: 7\ndataset:\n  type: movielens\n  path: ml\n  params: { list_size: 4, ratings_per_list: 2, history_length: 8, validation_fraction: 0 }\n" + Pipelines);

        var export = RerankProcess.Run(folder.Path, "export-logs", "ml.yaml", "--format", "csv", "--out", "logs");

        export.ExitCode.ShouldBe(0, export.Stderr);
        export.Stdout.ShouldContain("Wrote 12 rows: 1 train, 0 validation and 2 test requests of 'movielens'");
        export.Stdout.ShouldContain("features: {item_dense: [release_year], priors: [popularity, mean_rating], user_categorical: [age, gender, occupation], embedding: [embedding_0, ");
        var block = export.Stdout[export.Stdout.IndexOf("dataset:", StringComparison.Ordinal)..].Replace(Path.Combine(folder.Path, "logs", "impressions.csv"), "logs/impressions.csv", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder.Path, "logs.yaml"), "name: from-logs\nseed: 7\nevaluation: { latency_requests: 2, warmup_requests: 1 }\n" + block + Pipelines);

        var run = RerankProcess.Run(folder.Path, "run", "logs.yaml", "--out", "out");

        run.ExitCode.ShouldBe(0, run.Stderr);
        File.ReadAllText(Path.Combine(folder.Path, "out", "results.json")).ShouldContain("\"test_requests\": 2");
    }
}
