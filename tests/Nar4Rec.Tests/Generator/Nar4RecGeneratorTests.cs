using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.Nar4Rec.Tests.Generator;

public sealed class Nar4RecGeneratorTests
{
    [Fact]
    public void Train_FewEpochs_LossFalls()
    {
        var data = Support.Data.Training(64, 5);
        var generator = new Nar4RecGenerator(Support.GeneratorOptions(epochs: 4), Support.Context("generator"));
        var result = generator.Train(data, new TrainingContext(3));
        result.Curve.Count.ShouldBe(4);
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss);
        result.Curve.ShouldAllBe(e => e.ValidationLoss.HasValue);
    }

    [Fact]
    public void Score_TrainedModel_EachPositionIsADistributionOverRealCandidates()
    {
        var generator = Trained();
        var batch = Support.Batch();
        using var session = generator.Begin(batch, new RerankContext(1));
        var n = batch.MaxCandidates;
        var rows = new StepRows(2, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(0, batch.Count)], new int[batch.Count * 2]);
        var scores = new float[batch.Count * n];
        session.Score(rows, scores);
        for (var b = 0; b < batch.Count; b++)
        {
            var real = batch.CandidateCounts[b];
            var sum = Enumerable.Range(0, real).Sum(c => Math.Exp(scores[(b * n) + c])); // eq. 12: softmax over candidates
            sum.ShouldBe(1.0, 1e-4);
            for (var c = real; c < n; c++)
            {
                float.IsNegativeInfinity(scores[(b * n) + c]).ShouldBeTrue($"padding slot {c} of request {b} must be masked");
            }
        }
    }

    [Fact]
    public void Score_PrefixChanges_ScoresDoNotDependOnIt()
    {
        var generator = Trained();
        var batch = Support.Batch(1);
        using var session = generator.Begin(batch, new RerankContext(1));
        var n = batch.MaxCandidates;
        var a = new float[n];
        var b = new float[n];
        session.Score(new StepRows(1, [0], [0], [0]), a);
        session.Score(new StepRows(1, [0], [0], [3]), b);
        a.ShouldBe(b); // non-autoregressive: position t depends on the candidates only
    }

    [Fact]
    public void Loss_UnlikelihoodOff_EveryListIsPositive()
    {
        var data = Support.Data.Training(16, 5);
        var with = new Nar4RecGenerator(Support.GeneratorOptions(), Support.Context("g"));
        var without = new Nar4RecGenerator(new GeneratorOptions { Dimension = 8, Heads = 2, FeedForward = 16, FieldWidth = 4, Unlikelihood = false, Omega = 0.01f }, Support.Context("g"));
        with.Train(data, new TrainingContext(1));
        without.Train(data, new TrainingContext(1));
        var model = with.Model!;
        using var scope = TensorScope.Inference();
        var lists = data.Train.Take(8).ToList();
        var negatives = lists.Count(l => l.Clicks.Sum() < 1);
        negatives.ShouldBeGreaterThan(0, "the sample needs a negative list");
        with.Loss(model, lists).ToScalar().ShouldNotBe(without.Loss(model, lists).ToScalar());
    }

    [Fact]
    public void Begin_Untrained_FailsNamingTheComponent()
    {
        var generator = new Nar4RecGenerator(Support.GeneratorOptions(), Support.Context("my-gen"));
        Should.Throw<ComponentException>(() => generator.Begin(Support.Batch(), new RerankContext(1))).Message.ShouldContain("my-gen");
    }

    [Fact]
    public void Begin_SlateLongerThanPositions_Fails()
    {
        var options = Support.GeneratorOptions();
        options.Positions = 2;
        var generator = new Nar4RecGenerator(options, Support.Context("g"));
        var data = Support.Data.Training(16, 5);
        Should.Throw<ComponentException>(() => generator.Train(data, new TrainingContext(1))).Message.ShouldContain("positions");
    }

    [Fact]
    public void Load_OtherSchema_ErrorNamesTheMismatch()
    {
        var generator = Trained();
        var path = Path.Combine(Path.GetTempPath(), $"nar4rec-{Guid.NewGuid():N}.safetensors");
        try
        {
            generator.Save(path);
            var other = new FeatureSchema(Support.Data.Schema.Fields.Where(f => f.Name != "category"), Support.Data.Schema.PriorNames, Support.Data.Schema.EmbeddingWidth);
            var fresh = new Nar4RecGenerator(Support.GeneratorOptions(), Support.Context("generator", other));
            Should.Throw<CheckpointMismatchException>(() => fresh.Load(path)).Message.ShouldContain("schema differs: the checkpoint has [category:Item/Categorical/");
            var wider = new Nar4RecGenerator(new GeneratorOptions { Dimension = 16, Heads = 2, FeedForward = 16, FieldWidth = 4 }, Support.Context("generator"));
            Should.Throw<CheckpointMismatchException>(() => wider.Load(path)).Mismatches.ShouldContain("hyper-parameter 'dimension' is 8 in the checkpoint, 16 here");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Generate_SeveralAlphas_DistinctSlatesOfL()
    {
        var options = Support.GeneratorOptions();
        options.Alphas = [0f, 0.5f, 0.9f];
        var generator = new Nar4RecGenerator(options, Support.Context("generator"));
        generator.Train(Support.Data.Training(32, 5), new TrainingContext(1));
        var batch = Support.Batch();
        var slates = generator.Generate(batch, 3, new RerankContext(1));
        for (var b = 0; b < batch.Count; b++)
        {
            slates[b].Count.ShouldBeInRange(1, 3);
            slates[b].ShouldAllBe(s => s.Count == batch.SlateSizes[b] && s.Indices.Distinct().Count() == s.Count);
        }

        generator.Timings.Select(t => t.Phase).ShouldContain("encode candidates");
    }

    private static Nar4RecGenerator Trained()
    {
        var generator = new Nar4RecGenerator(Support.GeneratorOptions(), Support.Context("generator"));
        generator.Train(Support.Data.Training(32, 5), new TrainingContext(1));
        return generator;
    }
}
