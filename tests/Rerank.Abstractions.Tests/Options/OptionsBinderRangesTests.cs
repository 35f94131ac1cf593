using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Abstractions.Tests.Options;

/// <summary>The range facet of <see cref="OptionsBinder"/>: <see cref="RangeAttribute"/> checked while binding and on options built in code.</summary>
public sealed class OptionsBinderRangesTests
{
    public sealed class Ranged
    {
        [Range(1, 1024)]
        public int BeamWidth { get; set; } = 4;

        [Range(0L, 10_000_000L)]
        public long Budget { get; set; } = 10;

        [Range(0.0, 10.0, MinimumIsExclusive = true)]
        public float LearningRate { get; set; } = 1e-3f;

        [Range(0.0, 1.0, MaximumIsExclusive = true)]
        public double Dropout { get; set; }

        [Range(1, 64)]
        public int? Heads { get; set; }

        [Range(0.0, 1.0)]
        public float[] Alphas { get; set; } = [0.5f];

        [Range(0, 9)]
        public List<int> Pattern { get; set; } = [0];

        public double Unranged { get; set; }

        public Inner? Nested { get; set; }
    }

    public sealed class Inner
    {
        [Range(1, 8)]
        public int Layers { get; set; } = 2;
    }

    private static readonly SourceLocation KeyAt = new("p.yaml", 4, 3);

    private static ParamScalar S(string text, int line = 4, int column = 19) => new(text, new SourceLocation("p.yaml", line, column));

    private static ParamMapping Map(params (string Key, ParamNode Value)[] entries) =>
        new([.. entries.Select(e => new ParamEntry(e.Key, KeyAt, e.Value))], KeyAt);

    private static List<ConfigError> Bind(params (string Key, ParamNode Value)[] entries)
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<Ranged>(Map(entries), errors);
        return errors;
    }

    [Fact]
    public void Bind_IntAboveItsRange_IsAnErrorAtTheValueNamingKeyRangeAndValue()
    {
        var errors = Bind(("beam_width", S("2147483647", 4, 19)));

        errors.ShouldHaveSingleItem().ToString().ShouldBe("p.yaml:4:19: params.beam_width: must be in [1, 1024], got 2147483647");
    }

    [Fact]
    public void Bind_IntegerTooLargeForTheType_NamesTheRangeInsteadOfTheType()
    {
        Bind(("beam_width", S("99999999999"))).ShouldHaveSingleItem().Message.ShouldBe("params.beam_width: must be in [1, 1024], got 99999999999");
    }

    [Fact]
    public void Bind_IntegerTooLargeWithoutRange_NamesTheTypesRange()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<OptionsBinderTests.Sample>(Map(("top_k", S("3000000000"))), errors);
        errors.ShouldHaveSingleItem().Message.ShouldBe("params.top_k: must be in [-2147483648, 2147483647], got 3000000000");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1024")]
    public void Bind_IntOnAnInclusiveBound_IsAccepted(string text)
    {
        var errors = new List<ConfigError>();
        var options = OptionsBinder.Bind<Ranged>(Map(("beam_width", S(text))), errors);

        errors.ShouldBeEmpty();
        options.BeamWidth.ShouldBe(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("0", "params.beam_width: must be in [1, 1024], got 0")]
    [InlineData("1025", "params.beam_width: must be in [1, 1024], got 1025")]
    public void Bind_IntJustOutsideItsRange_IsAnError(string text, string message) =>
        Bind(("beam_width", S(text))).ShouldHaveSingleItem().Message.ShouldBe(message);

    [Fact]
    public void Bind_LongOutOfRange_IsAnError() =>
        Bind(("budget", S("10000001"))).ShouldHaveSingleItem().Message.ShouldBe("params.budget: must be in [0, 10000000], got 10000001");

    [Fact]
    public void Bind_FloatOnAnExclusiveMinimum_IsAnErrorWritingTheBoundAsOpen() =>
        Bind(("learning_rate", S("0"))).ShouldHaveSingleItem().Message.ShouldBe("params.learning_rate: must be in (0, 10], got 0");

    [Fact]
    public void Bind_DoubleOnAnExclusiveMaximum_IsAnError() =>
        Bind(("dropout", S("1"))).ShouldHaveSingleItem().Message.ShouldBe("params.dropout: must be in [0, 1), got 1");

    [Fact]
    public void Bind_DoubleJustBelowAnExclusiveMaximum_IsAccepted()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<Ranged>(Map(("dropout", S("0.999"))), errors).Dropout.ShouldBe(0.999);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public void Bind_NullableOutOfRange_IsAnErrorAndNullIsAccepted()
    {
        Bind(("heads", S("65"))).ShouldHaveSingleItem().Message.ShouldBe("params.heads: must be in [1, 64], got 65");
        Bind(("heads", S("null"))).ShouldBeEmpty();
    }

    [Fact]
    public void Bind_ArrayElementOutOfRange_IsAnErrorAtThatElement()
    {
        var errors = Bind(("alphas", new ParamSequence([S("0.5", 5, 12), S("1.5", 5, 17)], new SourceLocation("p.yaml", 5, 11))));

        errors.ShouldHaveSingleItem().ToString().ShouldBe("p.yaml:5:17: params.alphas[1]: must be in [0, 1], got 1.5");
    }

    [Fact]
    public void Bind_ListElementsOutOfRange_AreEachAnError()
    {
        var errors = Bind(("pattern", new ParamSequence([S("-1"), S("3"), S("10")], KeyAt)));

        errors.Select(e => e.Message).ShouldBe(["params.pattern[0]: must be in [0, 9], got -1", "params.pattern[2]: must be in [0, 9], got 10"]);
    }

    [Fact]
    public void Bind_NestedOptionsOutOfRange_NamesTheNestedKey()
    {
        var errors = Bind(("nested", Map(("layers", S("9")))));

        errors.ShouldHaveSingleItem().Message.ShouldBe("params.nested.layers: must be in [1, 8], got 9");
    }

    [Theory]
    [InlineData("unranged", "NaN")]
    [InlineData("unranged", ".inf")]
    [InlineData("unranged", "-Infinity")]
    [InlineData("learning_rate", "1e40")]
    public void Bind_NonFiniteFloat_IsAnErrorWithOrWithoutARange(string key, string text) =>
        Bind((key, S(text))).ShouldHaveSingleItem().Message.ShouldBe($"params.{key}: must be a finite number, got '{text}'");

    [Fact]
    public void Bind_ValueNotAccepted_SkipsValidate()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<OptionsBinderTests.Sample>(Map(("top_k", S("0")), ("temperature", S("NaN"))), errors);

        errors.Select(e => e.Message).ShouldBe(["params.temperature: must be a finite number, got 'NaN'"]);
    }

    [Theory]
    [InlineData(nameof(Ranged.BeamWidth), "[1, 1024]")]
    [InlineData(nameof(Ranged.Budget), "[0, 10000000]")]
    [InlineData(nameof(Ranged.LearningRate), "(0, 10]")]
    [InlineData(nameof(Ranged.Dropout), "[0, 1)")]
    [InlineData(nameof(Ranged.Unranged), null)]
    public void RangeOf_Property_WritesItsBounds(string property, string? expected) =>
        OptionsBinder.RangeOf(typeof(Ranged).GetProperty(property)!).ShouldBe(expected);

    [Fact]
    public void RangeErrors_Defaults_AreEmpty() => OptionsBinder.RangeErrors(new Ranged()).ShouldBeEmpty();

    [Fact]
    public void RangeErrors_OptionsBuiltInCode_ListsEveryValueOutOfRange()
    {
        var options = new Ranged
        {
            BeamWidth = 0,
            LearningRate = 20f,
            Heads = 100,
            Alphas = [0.5f, -0.25f],
            Unranged = double.PositiveInfinity,
            Nested = new Inner { Layers = 0 },
        };

        OptionsBinder.RangeErrors(options).ShouldBe(
        [
            "beam_width must be in [1, 1024], got 0",
            "learning_rate must be in (0, 10], got 20",
            "heads must be in [1, 64], got 100",
            "alphas[1] must be in [0, 1], got -0.25",
            "unranged must be a finite number, got Infinity",
            "nested.layers must be in [1, 8], got 0",
        ]);
    }
}
