using Rerank.Cli;
using Rerank.Runtime.Configuration;

namespace Rerank.Cli.Tests;

public sealed class SimulateCommandTests
{
    [Fact]
    public void BindOptions_Set_OverridesTheDefault() =>
        SimulateCommand.BindOptions(null, ["candidates=12", "slate_size=4"]).Candidates.ShouldBe(12);

    [Fact]
    public void BindOptions_SetOutOfRange_NamesKeyRangeAndValue()
    {
        var e = Should.Throw<ConfigException>(() => SimulateCommand.BindOptions(null, ["train_requests=2147483647", "users=0"]));

        e.Errors.Select(x => x.ToString()).ShouldBe(
        [
            "--set train_requests=2147483647: params.train_requests: must be in [0, 10000000], got 2147483647",
            "--set users=0: params.users: must be in [1, 1000000], got 0",
        ]);
    }
}
