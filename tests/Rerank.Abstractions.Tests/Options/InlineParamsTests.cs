using System.ComponentModel.DataAnnotations;

namespace Rerank.Abstractions.Tests.Options;

public sealed class InlineParamsTests
{
    [Fact]
    public void Bind_InlineKeys_BindTheHeldRecordAtTheParentsLevel()
    {
        var errors = new List<ConfigError>();

        var options = OptionsBinder.Bind<Model>(Params(("width", "8"), ("epochs", "5"), ("rate", "0.5")), errors);

        errors.ShouldBeEmpty();
        options.Width.ShouldBe(8);
        options.Training.Epochs.ShouldBe(5);
        options.Training.Rate.ShouldBe(0.5);
        options.Training.Batch.ShouldBe(64, "an inline key left out keeps the parent's default");
    }

    [Fact]
    public void ToParams_InlineKeys_StandInThePropertysPlace()
    {
        string.Join(",", OptionsBinder.ToParams(new Model()).Entries.Select(e => e.Key)).ShouldBe("width,epochs,batch,rate,dropout");
        string.Join(",", OptionsBinder.ToParams(new Reordered()).Entries.Select(e => e.Key)).ShouldBe("rate,batch,epochs");
    }

    [Fact]
    public void ToParams_ThenBind_RoundTrips()
    {
        var original = new Model { Width = 3, Training = new Shared { Epochs = 9, Batch = 2, Rate = 0.25 } };
        var errors = new List<ConfigError>();

        var copy = OptionsBinder.Bind<Model>(OptionsBinder.ToParams(original), errors);

        errors.ShouldBeEmpty();
        copy.Width.ShouldBe(3);
        (copy.Training.Epochs, copy.Training.Batch, copy.Training.Rate).ShouldBe((9, 2, 0.25));
    }

    [Fact]
    public void Bind_UnknownKey_ListsTheInlineKeysToo()
    {
        var errors = new List<ConfigError>();

        OptionsBinder.Bind<Model>(Params(("epoch", "5")), errors);

        errors.ShouldHaveSingleItem().Message.ShouldBe("params: unknown key 'epoch'; known keys: width, epochs, batch, rate, dropout");
    }

    [Fact]
    public void Bind_InlineValueOutOfRange_IsAnErrorAtTheValue()
    {
        var errors = new List<ConfigError>();

        OptionsBinder.Bind<Model>(Params(("epochs", "0")), errors);

        errors.ShouldHaveSingleItem().Message.ShouldBe("params.epochs: must be in [1, 100], got 0");
    }

    [Fact]
    public void RangeErrors_InlineValue_IsNamedByItsFlatKey()
    {
        OptionsBinder.RangeErrors(new Model { Training = new Shared { Epochs = 0 } }).ShouldBe(["epochs must be in [1, 100], got 0"]);
    }

    [Fact]
    public void Params_OrderMissingAKey_Throws()
    {
        Should.Throw<InvalidOperationException>(() => OptionsBinder.Params(typeof(Broken))).Message.ShouldContain("must list every key of Shared once");
    }

    private static ParamMapping Params(params (string Key, string Value)[] entries) =>
        new([.. entries.Select(e => new ParamEntry(e.Key, new SourceLocation("t.yaml", 1, 1), new ParamScalar(e.Value, new SourceLocation("t.yaml", 1, 1))))], new SourceLocation("t.yaml", 1, 1));

    public sealed class Shared
    {
        [Range(1, 100)]
        public int Epochs { get; set; } = 3;

        public int Batch { get; set; } = 64;

        public double Rate { get; set; } = 0.1;
    }

    public sealed class Model
    {
        public int Width { get; set; } = 4;

        [InlineParams]
        public Shared Training { get; set; } = new();

        public double? Dropout { get; set; } = 0.1;
    }

    public sealed class Reordered
    {
        [InlineParams("rate", "batch", "epochs")]
        public Shared Training { get; set; } = new();
    }

    public sealed class Broken
    {
        [InlineParams("rate", "epochs")]
        public Shared Training { get; set; } = new();
    }
}
