using Rerank.Abstractions;

namespace Rerank.Plugins.DeGRe.Tests.Generator;

public sealed class DegreGeneratorTests
{
    [Fact]
    public void Train_MinedSupervision_LossFallsAndSlatesHaveNoRepeats()
    {
        var data = Fixtures.Data.Training(48, 8);
        var generator = new DegreGenerator(Fixtures.TinyGenerator(beam: 2, epochs: 8), Fixtures.Context("generator"));
        generator.UseTeacher(Fixtures.TrainedEvaluator(data, 1));
        var result = generator.Train(data, new TrainingContext(2));
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss);
        var requests = Fixtures.Data.Requests(5, 3);
        var slates = generator.Generate(RerankBatch.Create(data.Schema, requests), 3, new RerankContext(1));
        for (var b = 0; b < requests.Count; b++)
        {
            var slate = slates[b].Single();
            slate.Count.ShouldBe(requests[b].SlateSize);
            slate.Indices.Distinct().Count().ShouldBe(slate.Count);
            double.IsFinite(slate.Score).ShouldBeTrue();
        }
    }

    [Fact]
    public void Train_WithoutTeacherResolver_TrainsItsOwnTeacher()
    {
        var data = Fixtures.Data.Training(16, 8);
        var generator = new DegreGenerator(Fixtures.TinyGenerator(beam: 1, epochs: 1), Fixtures.Context("generator"));
        generator.Train(data, new TrainingContext(2));
        generator.IsTrained.ShouldBeTrue();
        generator.Timings.Select(t => t.Phase).ShouldContain("train teacher");
    }

    [Fact]
    public void Options_BothLabelsOff_Rejected() =>
        new GeneratorOptions { HardLabel = false, SoftLabel = false }.Validate().ShouldContain(e => e.Contains("hard_label"));
}
