using Rerank.Runtime.Configuration;

namespace Rerank.Runtime.Tests.Configuration;

public sealed class PathPolicyTests
{
    private static readonly string Work = Path.Combine(Path.GetTempPath(), "rerank-policy", "work");

    [Fact]
    public void IsUnder_SiblingWithTheRootAsPrefix_False()
    {
        PathPolicy.IsUnder(Work + "X/file", Work).ShouldBeFalse("/work/mainX is not under /work/main");
        PathPolicy.IsUnder(Path.Combine(Work, "file"), Work).ShouldBeTrue();
        PathPolicy.IsUnder(Work, Work + "/").ShouldBeTrue("the root itself is under the root");
    }

    [Fact]
    public void IsUnder_DotDotSegments_ComparedAfterNormalising() =>
        PathPolicy.IsUnder(Path.Combine(Work, "a", "..", "..", "escaped"), Work).ShouldBeFalse();

    [Fact]
    public void IsUnder_FileSystemRoot_AllowsAnything() =>
        PathPolicy.IsUnder("/etc/passwd", "/").ShouldBeTrue();

    [Fact]
    public void RootsFor_Default_YamlFolderThenWorkingDirectory()
    {
        var policy = new PathPolicy(workingDirectory: Work);

        policy.RootsFor(Path.Combine(Work, "experiments")).ShouldBe([Path.Combine(Work, "experiments"), Work]);
        policy.RootsFor(Work).ShouldBe([Work], "a root is listed once");
    }

    [Fact]
    public void Constructor_RelativeAllowedFolder_ResolvesAgainstTheWorkingDirectory() =>
        new PathPolicy(["../data"], Work).Allowed.ShouldBe([Path.GetFullPath(Path.Combine(Work, "..", "data"))]);

    [Fact]
    public void Display_UnderTheWorkingDirectory_RelativeElseAbsolute()
    {
        var policy = new PathPolicy(workingDirectory: Work);

        policy.Display(Work).ShouldBe("./");
        policy.Display(Path.Combine(Work, "pipelines")).ShouldBe("pipelines/");
        policy.Display("/srv/models").ShouldBe("/srv/models/");
        policy.Display("/").ShouldBe("/");
    }
}
