using Rerank.Abstractions;
using Rerank.Simulation;
using Rerank.Testing;

namespace Rerank.Simulation.Tests;

/// <summary><c>dataset.params.preset</c>: what each regime sets, that keys beside it override it, and that it round-trips.</summary>
public sealed class SimulatorPresetTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rerank-preset-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Default_EqualsTheOptionsDefaults()
    {
        // preset: default changes nothing, so every experiment without a preset is what it was.
        var bound = Bind(("preset", "default"));
        var plain = new SimulatorOptions();
        bound.ShouldEqualKeyByKey(plain);
    }

    [Fact]
    public void Rich_SetsEveryEffect()
    {
        var o = Bind(("preset", "rich"));
        o.Preset.ShouldBe(SimulatorPreset.Rich);
        o.SatiationStrength.ShouldBe(1.5);
        o.AnchoringStrength.ShouldBe(0.3);
        o.Complementarity.ShouldBe(2.0);
        o.ComplementsPerCategory.ShouldBe(2);
        o.ComplementarityCap.ShouldBe(1.0);
        o.SatiationUserSpread.ShouldBe(0.8);
        o.PatienceSpread.ShouldBe(0.6);
        o.PatienceFeatureNoise.ShouldBe(0.5);
    }

    [Theory]
    [InlineData("no-effects")]
    [InlineData("no_effects")]
    public void NoEffects_TurnsEveryEffectOff(string spelling)
    {
        var o = Bind(("preset", spelling));
        o.Preset.ShouldBe(SimulatorPreset.NoEffects);
        (o.SatiationStrength, o.AnchoringStrength, o.Complementarity, o.SatiationUserSpread, o.PatienceSpread).ShouldBe((0.0, 0.0, 0.0, 0.0, 0.0));
    }

    [Fact]
    public void NoEffects_SortingByTrueAttractivenessIsOptimal()
    {
        // The sanity regime: with no list effects and a click-only utility, the exact optimum is r sorted.
        var o = SimTestWorlds.Small();
        o.Preset = SimulatorPreset.NoEffects;
        var data = Simulator.Generate(o, 11);
        foreach (var request in data.Test.Take(50))
        {
            var truth = (SimulatedListUtility)request.GroundTruth!;
            var sorted = Enumerable.Range(0, truth.Count).OrderByDescending(i => truth.Attractiveness[i]).Take(o.SlateSize).ToArray();
            truth.Utility(sorted).ShouldBe(truth.Optimum(o.SlateSize).Value, 1e-12);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void KeysBesideThePreset_OverrideIt_WhereverTheyStand(bool presetFirst)
    {
        (string, string)[] entries = presetFirst
            ? [("preset", "rich"), ("complementarity", "0.5")]
            : [("complementarity", "0.5"), ("preset", "rich")];
        var o = Bind(entries);
        o.Complementarity.ShouldBe(0.5);
        o.SatiationUserSpread.ShouldBe(0.8);
    }

    [Fact]
    public void UnknownPreset_IsAnErrorListingTheRegimes()
    {
        var errors = new List<ConfigError>();
        OptionsBinder.Bind<SimulatorOptions>(SimulatorParams.Of(("preset", "lush")), errors);
        var message = errors.ShouldHaveSingleItem().Message;
        message.ShouldContain("params.preset");
        message.ShouldContain("default, rich, no_effects");
    }

    [Fact]
    public void ToParams_RoundTrip_KeepsThePresetAndTheOverrides()
    {
        var o = Bind(("preset", "rich"), ("patience_spread", "0.2"));
        var errors = new List<ConfigError>();
        var back = OptionsBinder.Bind<SimulatorOptions>(OptionsBinder.ToParams(o), errors);
        errors.ShouldBeEmpty();
        back.ShouldEqualKeyByKey(o);
    }

    [Fact]
    public void Files_RoundTrip_ThePresetAndItsOverrides()
    {
        var o = SimTestWorlds.Small();
        o.Preset = SimulatorPreset.Rich;
        o.PatienceSpread = 0.2;
        var data = Simulator.Generate(o, 5);
        var dir = Path.Combine(_root, "rich");
        DatasetFiles.Write(data, dir);
        File.ReadAllText(Path.Combine(dir, "dataset.json")).ShouldContain("\"preset\": \"rich\"");
        var read = DatasetFiles.Read(dir);
        DatasetAssert.Equal(read, data);
        read.Options.PatienceSpread.ShouldBe(0.2);
        read.Options.Complementarity.ShouldBe(2.0);
        read.Describe().ShouldBe(data.Describe());
        read.Describe().ShouldContain(new KeyValuePair<string, object?>("preset", "rich"));
    }

    private static SimulatorOptions Bind(params (string Key, string Value)[] entries)
    {
        var errors = new List<ConfigError>();
        var o = OptionsBinder.Bind<SimulatorOptions>(SimulatorParams.Of(entries), errors);
        errors.ShouldBeEmpty();
        return o;
    }
}
