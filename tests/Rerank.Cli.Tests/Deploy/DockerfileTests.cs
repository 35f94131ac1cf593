using System.Text.RegularExpressions;
using Rerank.Testing;

namespace Rerank.Cli.Tests.Deploy;

/// <summary>
/// deploy/Dockerfile cannot be built here (no registry is reachable) and hadolint is not packaged for Debian, so this is the
/// checklist a reviewer would apply, as a test (docs/scale-out.md, "The image"): multi-stage from pinned official bases;
/// the final stages run as a numeric non-root user, in exec form, with a HEALTHCHECK on the readiness endpoint of the port
/// they expose; no secret in the image; the build context leaves local outputs out.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = Logical(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "Dockerfile")));

    [Fact]
    public void Stages_BuildOnTheSdk_TheDefaultIsRuntimeDepsAndTheGpuOneIsCuda13()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Select(l => FromLine().Match(l)).ToList();
        stages.ShouldAllBe(m => m.Success);
        var names = stages.Select(m => m.Groups["name"].Value).ToList();
        names.ShouldBe(["build", "build-gpu", "gpu", "cpu"]);
        stages[0].Groups["image"].Value.ShouldBe("mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}");
        stages[^1].Groups["image"].Value.ShouldBe("mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}", "the default (last) stage carries no SDK: the publish is self-contained");
        Lines.ShouldContain("ARG DOTNET_VERSION=10.0");
        Lines.Single(l => l.StartsWith("ARG CUDA_IMAGE=", StringComparison.Ordinal)).ShouldStartWith("ARG CUDA_IMAGE=nvidia/cuda:13.");
        Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ShouldAllBe(l => !l.Contains(":latest", StringComparison.Ordinal));
        Lines.Single(l => l.Contains("dotnet publish", StringComparison.Ordinal)).ShouldContain("--self-contained");

        foreach (var copy in Lines.Where(l => l.StartsWith("COPY --from=", StringComparison.Ordinal)))
        {
            var from = copy["COPY --from=".Length..].Split(' ')[0];
            names.ShouldContain(from, $"'{copy}' copies from a stage that exists");
        }
    }

    [Fact]
    public void FinalStages_NonRootExecFormHealthcheckOnTheExposedPortsReadiness()
    {
        foreach (var stage in new[] { "gpu", "cpu" })
        {
            var lines = Stage(stage);
            var user = lines.Single(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
            UserId().IsMatch(user).ShouldBeTrue($"{stage}: USER {user} is numeric (Kubernetes' runAsNonRoot can check it)");
            int.Parse(user.Split(':')[0]).ShouldBeGreaterThan(0);
            var port = int.Parse(lines.Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))["EXPOSE ".Length..]);
            var health = lines.Single(l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
            health.ShouldContain($"CMD [\"/app/rerank\", \"probe\", \"http://127.0.0.1:{port}/v2/health/ready\"]");
            var entry = lines.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
            entry.ShouldBe("ENTRYPOINT [\"/app/rerank\"]", $"{stage}: exec form, so SIGTERM reaches rerank and it drains");
            var cmd = lines.Single(l => l.StartsWith("CMD ", StringComparison.Ordinal));
            cmd.ShouldStartWith("CMD [\"serve\",");
            cmd.ShouldContain($"\"--urls\", \"http://0.0.0.0:{port}\"");
            cmd.ShouldContain("\"--pipelines\", \"/pipelines\"");
            lines.ShouldContain(l => l.Contains("RERANK_PLUGINS=/app/artifacts/plugins", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Image_HoldsNoSecret_AndTheContextLeavesLocalOutputsOut()
    {
        Lines.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal) || l.StartsWith("ARG ", StringComparison.Ordinal))
            .ShouldAllBe(l => !l.Contains("TOKEN", StringComparison.OrdinalIgnoreCase) && !l.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase));
        var ignored = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        ignored.ShouldBe([".git", "**/bin", "**/obj", "artifacts", "out", "TestResults", "BenchmarkDotNet.Artifacts", ".art-*"], ignoreOrder: true);
    }

    /// <summary>The instructions of stage <paramref name="name"/>: from its FROM to the next.</summary>
    private static List<string> Stage(string name) =>
        [.. Lines.SkipWhile(l => !(l.StartsWith("FROM ", StringComparison.Ordinal) && l.EndsWith(" AS " + name, StringComparison.Ordinal)))
            .Skip(1).TakeWhile(l => !l.StartsWith("FROM ", StringComparison.Ordinal))];

    /// <summary>Instructions with continuation lines joined and comments dropped.</summary>
    private static string[] Logical(string text)
    {
        var joined = Regex.Replace(text.ReplaceLineEndings("\n"), @"\\\n\s*", " ");
        return [.. joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }

    [GeneratedRegex(@"^FROM (?<image>\S+) AS (?<name>[a-z0-9-]+)$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^\d+(:\d+)?$")]
    private static partial Regex UserId();
}
