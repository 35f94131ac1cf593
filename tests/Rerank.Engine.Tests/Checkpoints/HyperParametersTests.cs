using Rerank.Engine.Checkpoints;

namespace Rerank.Engine.Tests.Checkpoints;

public sealed class HyperParametersTests
{
    [Fact]
    public void From_Options_SnakeCaseKeysEnumNamesAndUnsetValuesLeftOut()
    {
        var hyper = HyperParameters.From(new SampleOptions { MaxLength = 5, Loss = SampleLoss.PointWise, Alphas = [0.5, 1], Teacher = new SampleOptions { MaxLength = 2 } });

        hyper.Json.ShouldBe("""{"max_length":5,"loss":"point_wise","alphas":[0.5,1],"teacher":{"max_length":2,"loss":"ordered","alphas":[]}}""");
        hyper.Values.Keys.ShouldBe(["max_length", "loss", "alphas", "teacher"]);
        hyper.Values["alphas"].ShouldBe("[0.5,1]");
    }

    [Fact]
    public void From_InlineTrainingSettings_RecordedAtTheOptionsLevelAsBefore()
    {
        // Components once declared epochs, batch_size and learning_rate themselves; composed through [InlineParams], they
        // must still be recorded flat, so checkpoints written before keep matching.
        var hyper = HyperParameters.From(new ComposedOptions());

        hyper.Json.ShouldBe("""{"width":4,"epochs":3,"batch_size":16,"learning_rate":0.001}""");
    }

    [Fact]
    public void From_StringWithPlus_WrittenAsItself()
    {
        HyperParameters.From(new { Queue = "0.5*ctr + 0.5*cvr" }).Json.ShouldBe("""{"queue":"0.5*ctr + 0.5*cvr"}""");
    }

    [Fact]
    public void From_NotAnObject_ThrowsNamingTheType()
    {
        Should.Throw<ArgumentException>(() => HyperParameters.From(3)).Message.ShouldContain("Int32");
    }

    [Fact]
    public void From_ExecutionSetting_IsNotRecorded()
    {
        var h = HyperParameters.From(new RunsOnGraphsOptions());
        h.Json.ShouldBe("""{"width":4}""");
        h.LegacyValues.Keys.ShouldBe(["Width"]);
    }

    internal enum SampleLoss
    {
        Ordered,
        PointWise,
    }

    internal sealed class ComposedOptions
    {
        public int Width { get; set; } = 4;

        [InlineParams]
        public Rerank.Engine.Training.TrainingOptions Training { get; set; } = new() { Epochs = 3, BatchSize = 16, LearningRate = 1e-3 };
    }

    /// <summary>Stands for Rerank.Abstractions' attribute, which the engine recognises by name.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class InlineParamsAttribute : Attribute;

    /// <summary>Stands for Rerank.Abstractions' attribute, which the engine recognises by name.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class ExecutionSettingAttribute : Attribute;

    internal sealed class RunsOnGraphsOptions
    {
        public int Width { get; set; } = 4;

        [ExecutionSetting]
        public bool? CudaGraphs { get; set; } = true;
    }

    internal sealed class SampleOptions
    {
        public int MaxLength { get; set; }

        public SampleLoss Loss { get; set; }

        public double[] Alphas { get; set; } = [];

        public SampleOptions? Teacher { get; set; }
    }
}
