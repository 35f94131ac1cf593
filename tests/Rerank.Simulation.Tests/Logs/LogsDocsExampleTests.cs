using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;
using Rerank.Testing;

namespace Rerank.Simulation.Tests.Logs;

/// <summary>The worked example of docs/logs.md reads as the page says.</summary>
public sealed class LogsDocsExampleTests
{
    [Fact]
    public void WorkedExample_ReadsAsThePageSays()
    {
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "logs.md"));
        var start = page.IndexOf("```csv\n", StringComparison.Ordinal) + "```csv\n".Length;
        var csv = page[start..page.IndexOf("```", start, StringComparison.Ordinal)];
        using var folder = new TempFolder();
        var path = folder.Write("example.csv", csv);
        var options = new LogsOptions { Features = new LogFeatureColumns { ItemCategorical = ["category"], Priors = ["ctr"] } };

        var data = LogsReader.Read(path, options, 1);

        var r1 = data.Train[0];
        r1.Request.Candidates.Select(c => c.Id).ShouldBe(["a", "b", "c"]);
        r1.Exposed.ShouldBe([1, 0]);
        r1.Clicks.ShouldBe([1f, 0f]);
        r1.Request.History.Select(h => h.Id).ShouldBe(["x", "y"]);
        data.Schema.Fields.Select(f => $"{f.Name}/{f.Size}").ShouldBe(["item_id/6", "category/4", "user_id/2"]);
        data.Schema.PriorNames.ShouldBe(["ctr"]);
    }
}
