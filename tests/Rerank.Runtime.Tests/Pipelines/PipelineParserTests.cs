using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;

namespace Rerank.Runtime.Tests.Pipelines;

/// <summary>Pipeline names are identifiers; checkpoints resolve under the allowed folders before anything reads them.</summary>
public sealed class PipelineParserTests : IDisposable
{
    private const string Rule = "is not an identifier: use letters, digits and . _ + - (at most 64, starting with a letter or digit)";
    private readonly string _root = Directory.CreateTempSubdirectory("rerank-parser-").FullName;
    private readonly List<ConfigError> _errors = [];

    public PipelineParserTests()
    {
        Directory.CreateDirectory(Pipelines);
        Directory.CreateDirectory(Outside);
    }

    private string Pipelines => Path.Combine(_root, "work", "pipelines");

    private string Work => Path.Combine(_root, "work");

    private string Outside => Path.Combine(_root, "elsewhere");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("a/b")]
    [InlineData("with space")]
    [InlineData("..")]
    [InlineData("../../x")]
    public void ParseFile_NameThatIsNotAnIdentifier_ErrorAtTheName(string name)
    {
        var spec = Parse($"name: '{name}'\nstages:\n  - generate: {{ use: baselines/initial }}\n");

        spec.ShouldBeNull();
        var error = _errors.ShouldHaveSingleItem();
        error.Message.ShouldBe($"pipeline: name '{name}' {Rule}");
        (error.Location.Line, error.Location.Column).ShouldBe((1, 7));
    }

    [Fact]
    public void ParseFile_IdentifierName_Parses() =>
        Parse("name: nar4rec-wo-contrastive-losses\nstages:\n  - generate: { use: baselines/initial }\n")!.Name.ShouldBe("nar4rec-wo-contrastive-losses");

    [Fact]
    public void ParseFile_CheckpointTraversingToEtcPasswd_RefusedAtTheValue()
    {
        Parse("name: p\nstages:\n  - generate: { use: baselines/initial, checkpoint: ../../../../../etc/passwd }\n");

        var error = _errors.ShouldHaveSingleItem();
        error.Message.ShouldBe("checkpoint '../../../../../etc/passwd' resolves outside the allowed folders (pipelines/, ./); keep it under the pipeline's folder or allow its folder with --allow-path");
        (error.Location.Line, error.Location.Column).ShouldBe((3, 53));
    }

    [Fact]
    public void ParseFile_AbsoluteCheckpointOutside_RefusedByDefault()
    {
        var checkpoint = Path.Combine(Outside, "m.safetensors");

        Parse($"name: p\nstages:\n  - generate: {{ use: baselines/initial, checkpoint: {checkpoint} }}\n");

        _errors.ShouldHaveSingleItem().Message.ShouldStartWith($"checkpoint '{checkpoint}' resolves outside the allowed folders");
    }

    [Fact]
    public void ParseFile_AbsoluteCheckpointOutside_AcceptedWhenItsFolderIsAllowed()
    {
        var checkpoint = Path.Combine(Outside, "m.safetensors");

        var spec = Parse($"name: p\nstages:\n  - generate: {{ use: baselines/initial, checkpoint: {checkpoint} }}\n", new PathPolicy([Outside], Work));

        _errors.ShouldBeEmpty();
        spec!.Components().Single().Spec.Checkpoint.ShouldBe(checkpoint);
    }

    [Fact]
    public void ParseFile_CheckpointsOfEveryComponentPosition_AllChecked()
    {
        Parse("""
            name: p
            stages:
              - generate:
                  scorer: { use: baselines/oracle, checkpoint: /x/a }
                  decoder: baselines/greedy
                  diversifier: { use: baselines/mmr, checkpoint: ../../b }
              - evaluate: { use: baselines/oracle, checkpoint: ../../../c }
            """);

        _errors.Select(e => e.Message[..e.Message.IndexOf(" resolves", StringComparison.Ordinal)])
            .ShouldBe(["checkpoint '/x/a'", "checkpoint '../../b'", "checkpoint '../../../c'"]);
    }

    [Fact]
    public void ParseFile_RelativeCheckpointUnderTheWorkingDirectory_ResolvesAgainstTheFile()
    {
        var spec = Parse("name: p\nstages:\n  - generate: { use: baselines/initial, checkpoint: ../out/m.safetensors }\n");

        _errors.ShouldBeEmpty();
        spec!.Components().Single().Spec.Checkpoint.ShouldBe(Path.Combine(Work, "out", "m.safetensors"));
    }

    private PipelineSpec? Parse(string yaml, PathPolicy? paths = null)
    {
        var file = Path.Combine(Pipelines, "p.yaml");
        File.WriteAllText(file, yaml);
        return PipelineParser.ParseFile(file, _errors, paths ?? new PathPolicy(workingDirectory: Work));
    }
}
