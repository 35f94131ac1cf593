using Rerank.Abstractions;
using Rerank.Simulation;

namespace Rerank.Simulation.Tests;

public sealed class SimulatorOptionsTests
{
    [Fact]
    public void Bind_SnakeCaseKeys_SetProperties()
    {
        var errors = new List<ConfigError>();
        var o = OptionsBinder.Bind<SimulatorOptions>(SimulatorParams.Of(("slate_size", "6"), ("candidates", "12"), ("satiation_strength", "0"), ("gmv_weight", "1"), ("list_effects", "false"), ("complementarity", "0.5"), ("complements_per_category", "3"), ("complementarity_cap", "2"), ("satiation_user_spread", "0.5"), ("patience_spread", "0.3"), ("patience_feature_noise", "1")), errors);
        errors.ShouldBeEmpty();
        o.SatiationUserSpread.ShouldBe(0.5);
        o.PatienceSpread.ShouldBe(0.3);
        o.PatienceFeatureNoise.ShouldBe(1);
        o.Complementarity.ShouldBe(0.5);
        o.ComplementsPerCategory.ShouldBe(3);
        o.ComplementarityCap.ShouldBe(2);
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
        OptionsBinder.Bind<SimulatorOptions>(SimulatorParams.Of(("slate_size", "25")), errors);
        errors.ShouldHaveSingleItem().Message.ShouldContain("slate_size L = 25 must not exceed candidates N = 20");
    }

    [Fact]
    public void Bind_UnknownKey_IsAnError()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<SimulatorOptions>(SimulatorParams.Of(("slate", "5")), errors);
        errors.ShouldHaveSingleItem().Message.ShouldContain("unknown key 'slate'");
    }

    [Fact]
    public void ToParams_RoundTrip_KeepsEveryValue()
    {
        var o = new SimulatorOptions { SlateSize = 7, SatiationDecay = 0.65, ListEffects = false, TestRequests = 3 };
        var errors = new List<ConfigError>();
        var back = OptionsBinder.Bind<SimulatorOptions>(OptionsBinder.ToParams(o), errors);
        errors.ShouldBeEmpty();
        back.ShouldEqualKeyByKey(o);
    }

    [Fact]
    public void Validate_Defaults_AreValid() => new SimulatorOptions().Validate().ShouldBeEmpty();

    [Theory]
    [InlineData("satiation_decay", "1.5", "params.satiation_decay: must be in [0, 1], got 1.5")]
    [InlineData("history_length", "400", "history_length (400) must not exceed stream_length (300)")]
    [InlineData("intent_window", "60", "intent_window (60) must not exceed history_length (50)")]
    [InlineData("logging_temperature", "0", "params.logging_temperature: must be in (0, 100], got 0")]
    [InlineData("click_weight", "-1", "params.click_weight: must be in [0, 1000], got -1")]
    [InlineData("anchoring_max", "0.9", "params.anchoring_max: must be in [1, 100], got 0.9")]
    [InlineData("candidates", "2000", "candidates (2000) must not exceed items (1000)")]
    [InlineData("complementarity", "-0.5", "params.complementarity: must be in [0, 100], got -0.5")]
    [InlineData("complements_per_category", "-1", "params.complements_per_category: must be in [0, 1000], got -1")]
    [InlineData("complementarity_cap", "-1", "params.complementarity_cap: must be in [0, 100], got -1")]
    [InlineData("satiation_user_spread", "-0.1", "params.satiation_user_spread: must be in [0, 10], got -0.1")]
    [InlineData("patience_spread", "11", "params.patience_spread: must be in [0, 10], got 11")]
    [InlineData("patience_feature_noise", "-1", "params.patience_feature_noise: must be in [0, 100], got -1")]
    public void Validate_BadValue_NamesTheKey(string key, string value, string message)
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<SimulatorOptions>(SimulatorParams.Of((key, value)), errors);
        errors.ShouldContain(e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BuiltInCodeOutOfRange_NamesKeyRangeAndValue()
    {
        var o = new SimulatorOptions { Items = 100_000, Candidates = 20_000, SlateSize = 5 };
        o.Validate().ShouldBe(["candidates must be in [1, 10000], got 20000"]);
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
}
