using System.Net;
using Rerank.Runtime.Configuration;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class ServingCheckpointTests
{
    private const string Learned = "name: learned\nstages:\n  - generate: { use: probe@1.0.0/learned, checkpoint: weights.txt }\n";

    [Fact]
    public async Task Build_TrainableWithCheckpoint_ServesTheLoadedWeights()
    {
        var folder = ServingFixtures.NewFolder();
        ProbePlugin.LearnedGenerator.WriteCheckpoint(Path.Combine(folder, "weights.txt"), 2);
        await using var h = await ServingHarness.StartAsync(
            new Dictionary<string, string> { ["learned.yaml"] = Learned.Replace("weights.txt", Path.Combine(folder, "weights.txt"), StringComparison.Ordinal) },
            paths: new PathPolicy([folder]));

        using var response = await h.PostAsync("/v1/pipelines/learned:rerank", ServingFixtures.Request(n: 5, slate: 3));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ServingFixtures.Ids(await ServingFixtures.JsonAsync(response)).ShouldBe(["c2", "c3", "c4"]);
    }

    [Fact]
    public async Task Build_TrainableWithoutCheckpoint_IsAnErrorNamingTheComponent()
    {
        var e = await Should.ThrowAsync<ConfigException>(() => ServingHarness.StartAsync(new Dictionary<string, string>
        {
            ["learned.yaml"] = ServingFixtures.Pipeline("learned", "probe@1.0.0/learned"),
        }));

        e.Message.ShouldContain("probe@1.0.0/learned");
        e.Message.ShouldContain("serving does not train");
    }

    [Fact]
    public async Task Build_MissingCheckpointFile_IsAnErrorNamingThePath()
    {
        var e = await Should.ThrowAsync<ConfigException>(() => ServingHarness.StartAsync(new Dictionary<string, string> { ["learned.yaml"] = Learned }));

        e.Message.ShouldContain("weights.txt");
        e.Message.ShouldContain("does not exist");
    }

    [Fact]
    public async Task Build_UnreadableCheckpoint_IsAnErrorWithTheLoadersMessage()
    {
        var folder = ServingFixtures.NewFolder();
        var path = Path.Combine(folder, "weights.txt");
        File.WriteAllText(path, "garbage");

        var e = await Should.ThrowAsync<ConfigException>(() => ServingHarness.StartAsync(
            new Dictionary<string, string> { ["learned.yaml"] = Learned.Replace("weights.txt", path, StringComparison.Ordinal) },
            paths: new PathPolicy([folder])));

        e.Message.ShouldContain("could not be loaded");
        e.Message.ShouldContain("not a probe checkpoint");
    }

    [Fact]
    public async Task Build_AbsoluteCheckpointOutsideThePipelinesFolder_IsRefusedBeforeAnyRead()
    {
        var folder = ServingFixtures.NewFolder();
        var path = Path.Combine(folder, "weights.txt");
        ProbePlugin.LearnedGenerator.WriteCheckpoint(path, 2);

        var e = await Should.ThrowAsync<ConfigException>(() => ServingHarness.StartAsync(new Dictionary<string, string> { ["learned.yaml"] = Learned.Replace("weights.txt", path, StringComparison.Ordinal) }));

        e.Errors.Count.ShouldBe(2);
        var error = e.Errors[0];
        error.Location.Line.ShouldBe(3);
        error.Message.ShouldStartWith($"pipeline 'learned' is not ready: checkpoint '{path}' resolves outside the allowed folders (");
        error.Message.ShouldEndWith("); keep it under the pipeline's folder or allow its folder with --allow-path");
        e.Errors[1].Message.ShouldBe("no pipeline could be loaded");
    }
}
