using NuGet.Versioning;
using Rerank.Runtime.Plugins;

namespace Rerank.Runtime.Tests.Plugins;

public sealed class VersionRangesTests
{
    [Theory]
    [InlineData("^1.2", "1.2.0", true)]
    [InlineData("^1.2", "1.9.9", true)]
    [InlineData("^1.2", "2.0.0", false)]
    [InlineData("^1.2", "1.1.9", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("~1.2", "1.2.7", true)]
    [InlineData("~1.2", "1.3.0", false)]
    [InlineData("1.2.3", "1.2.3", true)]
    [InlineData("=1.2.3", "1.2.4", false)]
    [InlineData(">=1.2", "7.0.0", true)]
    [InlineData(">=1.2", "1.1.0", false)]
    [InlineData("*", "0.0.1", true)]
    [InlineData("[1.0,2.0)", "2.0.0", false)]
    [InlineData("[1.0,2.0)", "1.0.0", true)]
    public void TryParse_Range_MatchesExpectedVersions(string text, string version, bool expected)
    {
        VersionRanges.TryParse(text, out var range).ShouldBeTrue();

        range!.Satisfies(NuGetVersion.Parse(version)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("^x")]
    [InlineData(">=")]
    [InlineData("latest")]
    [InlineData("[1.0,")]
    public void TryParse_NotARange_ReturnsFalse(string text)
    {
        VersionRanges.TryParse(text, out _).ShouldBeFalse();
    }
}
