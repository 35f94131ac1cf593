using System.CommandLine;
using Rerank.Cli;

namespace Rerank.Cli.Tests;

public sealed class CliRangesTests
{
    private static IReadOnlyList<string> Errors(Option option, string args)
    {
        var root = new RootCommand();
        root.Options.Add(option);
        return [.. root.Parse(args).Errors.Select(e => e.Message)];
    }

    [Theory]
    [InlineData("--n 1")]
    [InlineData("--n 10")]
    [InlineData("")]
    public void InRange_ValueInsideOrDefault_IsAccepted(string args) =>
        Errors(new Option<int>("--n") { DefaultValueFactory = _ => 5 }.InRange(new(1, 10)), args).ShouldBeEmpty();

    [Theory]
    [InlineData("--n 0", "--n: must be in [1, 10], got 0")]
    [InlineData("--n 2147483647", "--n: must be in [1, 10], got 2147483647")]
    public void InRange_ValueOutside_IsAParseErrorNamingOptionRangeAndValue(string args, string message) =>
        Errors(new Option<int>("--n").InRange(new(1, 10)), args).ShouldBe([message]);

    [Fact]
    public void InRange_NullableAbsentOrOutside_AcceptsAbsenceOnly()
    {
        Errors(new Option<int?>("--threads").InRange(new(1, 1024)), "").ShouldBeEmpty();
        Errors(new Option<int?>("--threads").InRange(new(1, 1024)), "--threads 1025").ShouldBe(["--threads: must be in [1, 1024], got 1025"]);
    }

    [Theory]
    [InlineData("--seconds 0", "--seconds: must be in (0, 3600], got 0")]
    [InlineData("--seconds 3600.5", "--seconds: must be in (0, 3600], got 3600.5")]
    public void Seconds_OutsideTheOpenRange_IsAParseError(string args, string message) =>
        Errors(new Option<double>("--seconds").Seconds(3600), args).ShouldBe([message]);
}
