using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.SortGen.Tests.Generators;

public sealed class TemplateGeneratorTests
{
    [Fact]
    public void Generate_Pattern_DrawsQueueHeadsInTurn()
    {
        float[] ctr = [0.9f, 0.8f, 0.7f, 0.1f, 0.2f];
        float[] cvr = [0.1f, 0.1f, 0.1f, 0.9f, 0.8f];
        var schema = new FeatureSchema([], ["ctr", "cvr"], 0);
        var candidates = ctr.Select((p, i) => new Item { Id = $"c{i}", Priors = [p, cvr[i]], Price = 1 }).ToList();
        var batch = RerankBatch.Create(schema, [new RerankRequest { RequestId = "q", Candidates = candidates, SlateSize = 4 }]);
        var template = Trained.Build<IGenerator>("template", "queues: [ctr, cvr]\nfill: dfs\npattern: [0, 1, 1]");

        // DFS, cap 4: ctr queue [0, 1, 2, 4], cvr queue [3]; pattern 0, 1, 1 (spent → next queue), 0.
        template.Generate(batch, 1, Trained.Context)[0][0].Indices.ShouldBe([0, 3, 1, 2]);
    }

    [Fact]
    public void Options_PatternOutOfRange_IsAnError()
    {
        new TemplateOptions { Queues = ["ctr"], Pattern = [0, 1] }.Validate().ShouldContain(e => e.Contains("queue 1"));
    }
}
