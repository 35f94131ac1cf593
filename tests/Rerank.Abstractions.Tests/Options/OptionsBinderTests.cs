using System.Collections.Immutable;
using Rerank.Abstractions;

namespace Rerank.Abstractions.Tests.Options;

public sealed class OptionsBinderTests
{
    public enum Mode
    {
        Fast,
        VerySlow,
    }

    public sealed class Sample : IValidatableOptions
    {
        public int TopK { get; set; } = 5;

        public double Temperature { get; set; } = 1.0;

        public Mode Mode { get; set; }

        public string Name { get; set; } = "x";

        public float[] Weights { get; set; } = [];

        public int? Limit { get; set; }

        public IEnumerable<string> Validate()
        {
            if (TopK < 1)
            {
                yield return $"top_k must be at least 1, got {TopK}";
            }
        }
    }

    private static readonly SourceLocation At = new("f.yaml", 3, 7);

    private static ParamMapping Map(params (string Key, ParamNode Value)[] entries) =>
        new([.. entries.Select(e => new ParamEntry(e.Key, At, e.Value))], At);

    private static ParamScalar S(string? text) => new(text, At);

    [Theory]
    [InlineData("TopK", "top_k")]
    [InlineData("Temperature", "temperature")]
    [InlineData("HTTPPort", "http_port")]
    [InlineData("MaxPrice", "max_price")]
    [InlineData("Layer2Norm", "layer2_norm")]
    public void KeyOf_PascalCase_IsSnakeCase(string property, string key) => OptionsBinder.KeyOf(property).ShouldBe(key);

    [Fact]
    public void Bind_EveryKindOfValue_SetsProperties()
    {
        var errors = new List<ConfigError>();
        var options = OptionsBinder.Bind<Sample>(
            Map(("top_k", S("3")), ("temperature", S("0.5")), ("mode", S("very_slow")), ("name", S("beam")), ("weights", new ParamSequence([S("1"), S("2.5")], At)), ("limit", S("null"))),
            errors);
        errors.ShouldBeEmpty();
        options.TopK.ShouldBe(3);
        options.Temperature.ShouldBe(0.5);
        options.Mode.ShouldBe(Mode.VerySlow);
        options.Name.ShouldBe("beam");
        options.Weights.ShouldBe([1f, 2.5f]);
        options.Limit.ShouldBeNull();
    }

    [Fact]
    public void Bind_UnknownKey_IsAnErrorListingKnownKeys()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<Sample>(Map(("topk_", S("3")), ("widht", S("2"))), errors);
        errors.Count.ShouldBe(1);
        errors[0].ToString().ShouldBe("f.yaml:3:7: params: unknown key 'widht'; known keys: top_k, temperature, mode, name, weights, limit");
    }

    [Fact]
    public void Bind_IllTypedValues_AreErrorsNamingKeyAndExpectedType()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<Sample>(Map(("top_k", S("three")), ("temperature", S("NaN")), ("mode", S("medium")), ("weights", S("1"))), errors);
        errors.Select(e => e.Message).ShouldBe(
        [
            "params.top_k: 'three' is not an integer",
            "params.temperature: must be a finite number, got 'NaN'",
            "params.mode: 'medium' is not one of fast, very_slow",
            "params.weights: expected a sequence of a number",
        ]);
    }

    [Fact]
    public void Bind_ValidationFails_ReportsTheProblem()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<Sample>(Map(("top_k", S("0"))), errors);
        errors.ShouldHaveSingleItem().Message.ShouldBe("params: top_k must be at least 1, got 0");
    }

    [Fact]
    public void ToParams_ThenBind_RoundTrips()
    {
        var original = new Sample { TopK = 9, Temperature = 0.125, Mode = Mode.VerySlow, Name = "n", Weights = [0.1f, 3f], Limit = 4 };
        var errors = new List<ConfigError>();
        var copy = OptionsBinder.Bind<Sample>(OptionsBinder.ToParams(original), errors);
        errors.ShouldBeEmpty();
        copy.TopK.ShouldBe(9);
        copy.Temperature.ShouldBe(0.125);
        copy.Mode.ShouldBe(Mode.VerySlow);
        copy.Weights.ShouldBe([0.1f, 3f]);
        copy.Limit.ShouldBe(4);
    }

    [Fact]
    public void Bind_KeyGivenTwice_IsAnError()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<Sample>(new ParamMapping(ImmutableArray.Create(new ParamEntry("top_k", At, S("1")), new ParamEntry("topK", At, S("2"))), At), errors);
        errors.ShouldHaveSingleItem().Message.ShouldContain("key 'topK' is given twice");
    }
    [Theory]
    [InlineData("top_k", "topK", true)]
    [InlineData("top-k", "TOP_K", true)]
    [InlineData("top_k", "top_kk", false)]
    public void SameKey_ComparesAsTheBinder(string a, string b, bool same) => OptionsBinder.SameKey(a, b).ShouldBe(same);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bind_Preset_IsBoundFirst_SoKeysBesideItOverrideIt(bool presetFirst)
    {
        (string, ParamNode)[] entries = presetFirst ? [("level", S("high")), ("width", S("3"))] : [("width", S("3")), ("level", S("high"))];
        var errors = new List<ConfigError>();
        var bound = OptionsBinder.Bind<WithPreset>(Map(entries), errors);
        errors.ShouldBeEmpty();
        (bound.Level, bound.Width, bound.Depth).ShouldBe(("high", 3, 20));
    }

    /// <summary>A preset that sets two other keys.</summary>
    public sealed class WithPreset
    {
        private string _level = "low";

        [Preset]
        public string Level
        {
            get => _level;
            set
            {
                _level = value;
                (Width, Depth) = value == "high" ? (10, 20) : (1, 2);
            }
        }

        public int Width { get; set; } = 1;

        public int Depth { get; set; } = 2;
    }
}
