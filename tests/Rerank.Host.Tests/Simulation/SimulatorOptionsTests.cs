using Rerank.Abstractions;
using Rerank.Host.Simulation;

namespace Rerank.Host.Tests.Simulation;

public sealed class SimulatorOptionsTests
{
    [Fact]
    public void Bind_SnakeCaseKeys_SetProperties()
    {
        var errors = new List<ConfigError>();
        var o = OptionsBinder.Bind<SimulatorOptions>(Params(("slate_size", "6"), ("candidates", "12"), ("satiation_strength", "0"), ("gmv_weight", "1"), ("list_effects", "false")), errors);
        errors.ShouldBeEmpty();
        o.SlateSize.ShouldBe(6);
        o.Candidates.ShouldBe(12);
        o.SatiationStrength.ShouldBe(0);
        o.GmvWeight.ShouldBe(1);
        o.ListEffects.ShouldBeFalse();
    }

    [Fact]
    public void Bind_SlateLargerThanCandidates_ErrorNamesBothKeys()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<SimulatorOptions>(Params(("slate_size", "25")), errors);
        errors.ShouldHaveSingleItem().Message.ShouldContain("slate_size L = 25 must not exceed candidates N = 20");
    }

    [Fact]
    public void Bind_UnknownKey_IsAnError()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<SimulatorOptions>(Params(("slate", "5")), errors);
        errors.ShouldHaveSingleItem().Message.ShouldContain("unknown key 'slate'");
    }

    [Fact]
    public void ToParams_RoundTrip_KeepsEveryValue()
    {
        var o = new SimulatorOptions { SlateSize = 7, SatiationDecay = 0.65, ListEffects = false, TestRequests = 3 };
        var errors = new List<ConfigError>();
        var back = OptionsBinder.Bind<SimulatorOptions>(OptionsBinder.ToParams(o), errors);
        errors.ShouldBeEmpty();
        foreach (var property in OptionsBinder.Bindable(typeof(SimulatorOptions)))
        {
            property.GetValue(back).ShouldBe(property.GetValue(o), property.Name);
        }
    }

    [Fact]
    public void Validate_Defaults_AreValid() => new SimulatorOptions().Validate().ShouldBeEmpty();

    [Theory]
    [InlineData("satiation_decay", "1.5", "satiation_decay must be in [0, 1]")]
    [InlineData("history_length", "400", "history_length (400) must not exceed stream_length (300)")]
    [InlineData("intent_window", "60", "intent_window (60) must not exceed history_length (50)")]
    [InlineData("logging_temperature", "0", "logging_temperature must be positive")]
    [InlineData("click_weight", "-1", "click_weight must be at least 0")]
    [InlineData("anchoring_max", "0.9", "anchoring_max (0.9) at least 1")]
    [InlineData("candidates", "2000", "candidates (2000) must not exceed items (1000)")]
    public void Validate_BadValue_NamesTheKey(string key, string value, string message)
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<SimulatorOptions>(Params((key, value)), errors);
        errors.ShouldContain(e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AllWeightsZero_IsAnError()
    {
        var o = new SimulatorOptions { ClickWeight = 0 };
        o.Validate().ShouldContain(e => e.Contains("at least one must be positive", StringComparison.Ordinal));
    }

    [Fact]
    public void ListEffectsOff_ZeroesSatiationAndAnchoring()
    {
        var o = new SimulatorOptions { ListEffects = false };
        var p = ListModelParameters.From(o, 10);
        p.Satiation.ShouldBe(0);
        p.Anchoring.ShouldBe(0);
        p.Decay.ShouldBe(0.8);
    }

    private static ParamMapping Params(params (string Key, string Value)[] entries) =>
        new([.. entries.Select(e => new ParamEntry(e.Key, SourceLocation.None, new ParamScalar(e.Value, SourceLocation.None)))], SourceLocation.None);
}
