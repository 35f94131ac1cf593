using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using YamlDotNet.RepresentationModel;

namespace Rerank.Runtime.Tests.Configuration;

public sealed class PathScopeTests
{
    private static readonly string Work = Path.Combine(Path.GetTempPath(), "rerank-scope", "work");
    private static readonly string Pipelines = Path.Combine(Work, "pipelines");
    private readonly List<ConfigError> _errors = [];

    [Fact]
    public void Resolve_RelativeUnderTheWorkingDirectory_FullPath() =>
        Resolve(new PathPolicy(workingDirectory: Work), "../out/m.safetensors").ShouldBe(Path.Combine(Work, "out", "m.safetensors"));

    [Fact]
    public void Resolve_TraversalOutOfEveryRoot_ErrorWithValueRootsAndHint()
    {
        Resolve(new PathPolicy(workingDirectory: Work), "../../../../../etc/passwd").ShouldBeNull();

        var error = _errors.ShouldHaveSingleItem();
        error.ToString().ShouldBe("p.yaml:1:13: checkpoint '../../../../../etc/passwd' resolves outside the allowed folders (pipelines/, ./); keep it under the pipeline's folder or allow its folder with --allow-path");
    }

    [Fact]
    public void Resolve_AbsoluteOutside_RefusedByDefaultAcceptedWhenItsFolderIsAllowed()
    {
        Resolve(new PathPolicy(workingDirectory: Work), "/srv/models/m.safetensors").ShouldBeNull();
        _errors.ShouldHaveSingleItem().Message.ShouldContain("(pipelines/, ./)");
        _errors.Clear();

        Resolve(new PathPolicy(["/srv/models"], Work), "/srv/models/m.safetensors").ShouldBe("/srv/models/m.safetensors");
        _errors.ShouldBeEmpty();
    }

    [Fact]
    public void Resolve_AllowedRootListed_InTheError()
    {
        Resolve(new PathPolicy(["/srv/models"], Work), "/srv/other/m.safetensors").ShouldBeNull();

        _errors.ShouldHaveSingleItem().Message.ShouldContain("(pipelines/, ./, /srv/models/)");
    }

    [Fact]
    public void Resolve_AllowPathSlash_AnyPath() =>
        Resolve(new PathPolicy(["/"], Work), "/etc/passwd").ShouldBe("/etc/passwd");

    [Fact]
    public void Resolve_NulCharacter_NotAValidPath()
    {
        Resolve(new PathPolicy(workingDirectory: Work), "a\0b").ShouldBeNull();

        _errors.ShouldHaveSingleItem().Message.ShouldBe("checkpoint 'a\0b' is not a valid path");
    }

    private string? Resolve(PathPolicy policy, string value)
    {
        // The node only gives the location (line 1, column 13); the value is passed as read.
        var root = YamlReader.Parse("checkpoint: placeholder", "p.yaml", _errors)!;
        var node = root.Children[new YamlScalarNode("checkpoint")];
        return policy.For(Pipelines, "the pipeline's folder").Resolve(new YamlReader("p.yaml", _errors), node, "checkpoint", value);
    }
}
