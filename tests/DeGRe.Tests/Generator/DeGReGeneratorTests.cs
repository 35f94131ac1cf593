using Rerank.Abstractions;

namespace Rerank.Plugins.DeGRe.Tests.Generator;

public sealed class DeGReGeneratorTests
{
    [Fact]
    public void Train_MinedSupervision_LossFallsAndSlatesHaveNoRepeats()
    {
        var data = Fixtures.Data.Training(48, 8);
        var generator = new DeGReGenerator(Fixtures.TinyGenerator(beam: 2, epochs: 8), Fixtures.Context("generator"));
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
    public void Train_ExtensionFields_LossFallsAndSlatesValid()
    {
        var data = Fixtures.Data.Training(48, 8);
        var options = Fixtures.TinyGenerator(beam: 2, epochs: 6);
        options.ListContext = true;
        options.HistoryAffinity = true;
        var generator = new DeGReGenerator(options, Fixtures.Context("generator"));
        generator.UseTeacher(Fixtures.TrainedEvaluator(data, 1));
        var result = generator.Train(data, new TrainingContext(2));

        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss);
        generator.Model!.NamedParameters().Select(p => p.Key).ShouldContain(k => k.StartsWith("extra_fields.", StringComparison.Ordinal));
        var requests = Fixtures.Data.Requests(4, 3);
        foreach (var slate in generator.Generate(RerankBatch.Create(data.Schema, requests), 1, new RerankContext(1)).Select(s => s.Single()))
        {
            slate.Indices.Distinct().Count().ShouldBe(slate.Count);
        }
    }

    [Fact]
    public void Constructor_NoExtensionFields_SameWeightsAsBefore()
    {
        // The extension's weights are drawn last: without it, a generator's weights do not depend on it existing.
        var plain = new DeGReGenerator(Fixtures.TinyGenerator(), Fixtures.Context("generator")).Model!.NamedParameters();
        var options = Fixtures.TinyGenerator();
        options.ListContext = true;
        var extended = new DeGReGenerator(options, Fixtures.Context("generator")).Model!.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, weights) in plain)
        {
            extended[name].ToArray().ShouldBe(weights.ToArray());
        }
    }

    [Fact]
    public void Train_WithoutTeacherResolver_TrainsItsOwnTeacher()
    {
        var data = Fixtures.Data.Training(16, 8);
        var generator = new DeGReGenerator(Fixtures.TinyGenerator(beam: 1, epochs: 1), Fixtures.Context("generator"));
        generator.Train(data, new TrainingContext(2));
        generator.IsTrained.ShouldBeTrue();
        generator.Timings.Select(t => t.Phase).ShouldContain("train teacher");
    }

    [Fact]
    public void Train_FromMinedFile_UsesTheMergedShards()
    {
        var data = Fixtures.Data.Training(16, 8);
        var miner = new DeGReGenerator(Fixtures.TinyGenerator(beam: 2, epochs: 1), Fixtures.Context("generator"));
        miner.UseTeacher(Fixtures.TrainedEvaluator(data, 1));
        var path = Path.Combine(Path.GetTempPath(), $"degre-mined-{Guid.NewGuid():N}.bin");
        try
        {
            using (var file = File.Create(path))
            {
                miner.Mine(data, 0, 2, file, new TrainingContext(1));
                miner.Mine(data, 1, 2, file, new TrainingContext(1));
            }

            var options = Fixtures.TinyGenerator(beam: 2, epochs: 2);
            options.Mined = path;
            var generator = new DeGReGenerator(options, Fixtures.Context("generator"));
            generator.Train(data, new TrainingContext(2)).Curve.Count.ShouldBe(2);
            generator.Timings.Select(t => t.Phase).ShouldNotContain("train teacher");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Constructor_TeacherParams_ResolvesTheTeacherWithThem()
    {
        var options = Fixtures.TinyGenerator();
        options.TeacherParams = new EvaluatorOptions { ListContext = true, Layers = 1, ModelWidth = 16, Heads = 2 };
        var resolver = new RecordingResolver();
        var context = new ComponentContext("degre", "1.0.0", "generator", Fixtures.Data.Schema, 5, resolver);

        _ = new DeGReGenerator(options, context);

        var teacher = resolver.Resolved.ShouldHaveSingleItem();
        teacher.Options.ListContext.ShouldBe(true);
        teacher.Model!.ReadsListContext.ShouldBeTrue();
    }

    [Fact]
    public void Options_InvalidTeacherParams_RejectedWithTheirKey() =>
        new GeneratorOptions { TeacherParams = new EvaluatorOptions { Layers = 0 } }.Validate().ShouldContain(e => e.Contains("teacher_params: layers"));

    [Fact]
    public void Options_BothLabelsOff_Rejected() =>
        new GeneratorOptions { HardLabel = false, SoftLabel = false }.Validate().ShouldContain(e => e.Contains("hard_label"));

    private sealed class RecordingResolver : IComponentResolver
    {
        public List<LookaheadEvaluator> Resolved { get; } = [];

        public TComponent Resolve<TComponent>(string reference)
            where TComponent : class, IComponent => Resolve<TComponent>(reference, null);

        public TComponent Resolve<TComponent>(string reference, ParamMapping? parameters)
            where TComponent : class, IComponent
        {
            var errors = new List<ConfigError>();
            var options = OptionsBinder.Bind<EvaluatorOptions>(parameters, errors);
            errors.ShouldBeEmpty();
            var evaluator = new LookaheadEvaluator(options, Fixtures.Context("evaluator"));
            Resolved.Add(evaluator);
            return (TComponent)(object)evaluator;
        }
    }
}
