using Rerank.Testing;


namespace Rerank.Cli.Tests;

/// <summary><c>rerank validate</c> as a process: paths outside the allowed folders, <c>--allow-path</c>, components that cannot be created.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rerank-validate-cli-").FullName;

    public ValidateCommandTests()
    {
        Directory.CreateDirectory(Work);
        Directory.CreateDirectory(Models);
    }

    private string Work => Path.Combine(_root, "work");

    private string Models => Path.Combine(_root, "models");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Validate_CheckpointTraversingToEtcPasswd_RefusedWithoutReadingIt()
    {
        var result = Validate("checkpoint: ../../../../../etc/passwd");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error: p.yaml:3:59: checkpoint '../../../../../etc/passwd' resolves outside the allowed folders (./); keep it under the pipeline's folder or allow its folder with --allow-path");
        result.Stderr.ShouldNotContain("root:");
    }

    [Fact]
    public void Validate_AbsoluteCheckpointOutside_RefusedByDefaultAcceptedWithAllowPath()
    {
        var checkpoint = Path.Combine(Models, "dnn.safetensors");

        var refused = Validate($"checkpoint: {checkpoint}");
        var accepted = Validate($"checkpoint: {checkpoint}", "--allow-path", Models);

        refused.ExitCode.ShouldBe(2);
        refused.Stderr.ShouldContain($"checkpoint '{checkpoint}' resolves outside the allowed folders (./); keep it under the pipeline's folder or allow its folder with --allow-path");
        accepted.ExitCode.ShouldBe(0, accepted.Stderr);
        accepted.Stdout.ShouldContain("ok p.yaml: pipeline 'p'");
    }

    [Fact]
    public void Validate_ComponentWhoseConstructorThrows_ErrorAtItsLocation()
    {
        File.WriteAllText(Path.Combine(Work, "p.yaml"), "name: p\nstages:\n  - generate: { use: throwing-component@1.0/generator }\n");

        var result = RerankProcess.Run(Work, "validate", "p.yaml", "--plugins", FixturePlugins.Folder);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error: p.yaml:3:22: 'throwing-component@1.0/generator' could not be created: InvalidOperationException: fixture failure: the generator's vocabulary file is missing");
    }

    private RerankProcess.Result Validate(string checkpoint, params string[] options)
    {
        File.WriteAllText(Path.Combine(Work, "p.yaml"), $"name: p\nstages:\n  - generate: {{ scorer: {{ use: baselines/dnn, {checkpoint} }}, decoder: baselines/greedy }}\n");
        return RerankProcess.Run(Work, ["validate", "p.yaml", .. options]);
    }
}
