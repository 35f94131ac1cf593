using System.Globalization;
using Rerank.Engine.Training;

namespace Rerank.Engine.Tests.Training;

public sealed class TrainingOptionsTests
{
    [Theory]
    [InlineData("0.001")]
    [InlineData("1e-3")]
    [InlineData("0.0005")]
    [InlineData("5e-4")]
    [InlineData("0.002")]
    [InlineData("0.0003")]
    [InlineData("0.01")]
    [InlineData("3e-3")]
    public void Adam_LearningRateReadAsDouble_IsTheFloatReadDirectly(string yaml)
    {
        // Components used to read learning_rate as a float; as a double cast down, Adam gets the same bits.
        var options = new TrainingOptions { LearningRate = double.Parse(yaml, CultureInfo.InvariantCulture) };

        BitConverter.SingleToInt32Bits(options.Adam().LearningRate).ShouldBe(BitConverter.SingleToInt32Bits(float.Parse(yaml, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Adam_WeightDecayUnset_IsZero()
    {
        new TrainingOptions().Adam().WeightDecay.ShouldBe(0f);
        new TrainingOptions { WeightDecay = 0.01 }.Adam().WeightDecay.ShouldBe(0.01f);
    }

    [Fact]
    public void Loop_CarriesEpochsBatchAndTheModelsChoices()
    {
        var loop = new TrainingOptions { Epochs = 7, BatchSize = 32, LearningRate = 0.5 }.Loop(clipNorm: 5f, keepBest: true, NonFinitePolicy.SkipStep);

        (loop.Epochs, loop.BatchSize, loop.Adam.LearningRate, loop.ClipNorm, loop.KeepBest, loop.NonFinite).ShouldBe((7, 32, 0.5f, 5f, true, NonFinitePolicy.SkipStep));
    }
}
