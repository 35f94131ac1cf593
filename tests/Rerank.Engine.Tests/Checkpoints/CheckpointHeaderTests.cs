using Rerank.Engine.Checkpoints;

namespace Rerank.Engine.Tests.Checkpoints;

public sealed class CheckpointHeaderTests
{
    [Fact]
    public void Read_FormatOne_EveryFieldAndTheStateWithoutPrefix()
    {
        var header = CheckpointHeader.Read(new Dictionary<string, string>
        {
            ["format_version"] = "1",
            ["engine_version"] = "1.2.0",
            ["plugin"] = "acme",
            ["plugin_version"] = "2.1.0",
            ["component"] = "ranker",
            ["hyper_parameters"] = "{\"width\":4}",
            ["schema"] = "a:Item/Dense/1",
            ["state.mean_price"] = "2.5",
            ["format"] = "pt",
        });

        header.ShouldBe(new CheckpointHeader
        {
            FormatVersion = 1,
            EngineVersion = "1.2.0",
            PluginId = "acme",
            PluginVersion = "2.1.0",
            Component = "ranker",
            HyperParameters = "{\"width\":4}",
            Schema = "a:Item/Dense/1",
            State = header.State,
        });
        header.State.ShouldBe(new Dictionary<string, string> { ["mean_price"] = "2.5" });
    }

    [Fact]
    public void Read_FormatZeroIdAtVersionAndParams_SplitsThePluginAndReadsParams()
    {
        var header = CheckpointHeader.Read(new Dictionary<string, string> { ["plugin"] = "baselines@1.0.0", ["component"] = "dnn", ["params"] = "{}", ["schema"] = "s" });

        (header.FormatVersion, header.PluginId, header.PluginVersion, header.Component, header.HyperParameters).ShouldBe((0, "baselines", "1.0.0", "dnn", "{}"));
        header.State.ShouldBeEmpty();
    }

    [Fact]
    public void Read_FormatZeroPrefixedComponentAndModel_TakesTheModelAndDropsThePrefix()
    {
        var nar = CheckpointHeader.Read(new Dictionary<string, string> { ["plugin"] = "nar4rec", ["plugin_version"] = "1.0.0", ["component"] = "nar4rec/generator" });
        var degre = CheckpointHeader.Read(new Dictionary<string, string> { ["plugin"] = "degre", ["version"] = "1.0.0", ["component"] = "evaluator" });
        var sort = CheckpointHeader.Read(new Dictionary<string, string> { ["plugin"] = "sortgen", ["component"] = "generator", ["model"] = "sort", ["mean_price"] = "24.196001" });

        (nar.Component, nar.PluginVersion).ShouldBe(("generator", "1.0.0"));
        (degre.Component, degre.PluginVersion).ShouldBe(("evaluator", "1.0.0"));
        sort.Component.ShouldBe("sort");
        sort.State.ShouldBe(new Dictionary<string, string> { ["mean_price"] = "24.196001" });
    }

    [Fact]
    public void Read_FormatNotANumber_ThrowsNamingTheValue()
    {
        Should.Throw<InvalidDataException>(() => CheckpointHeader.Read(new Dictionary<string, string> { ["format_version"] = "one" })).Message.ShouldContain("'one'");
    }
}
