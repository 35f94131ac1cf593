using System.Net;
using Rerank.Runtime.Configuration;
using Rerank.Serving;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

/// <summary>
/// Issue #16 items 2, 3, 4 and 9: a pipeline that cannot load is served as not ready while the others serve; a reload
/// that would break something, whatever the failure, is refused the same way and the old graph keeps serving.
/// </summary>
public sealed class ServingReadinessTests
{
    private const string Learned = "name: learned\nstages:\n  - generate: { use: probe@1.0.0/learned, checkpoint: ../out/learned.ckpt }\n";

    [Fact]
    public async Task Startup_MissingCheckpoint_OthersServeAndItIsNotReadyNamingItsExperiment()
    {
        var (root, pipelines) = Layout();
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = Order("main"), ["learned.yaml"] = Learned }, folder: pipelines, paths: new PathPolicy([root]));

        (await h.Client.GetAsync("/v2/models/main/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var ready = await h.Client.GetAsync("/v2/models/learned/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var json = await ServingFixtures.JsonAsync(ready);
        ((bool)json["ready"]!).ShouldBeFalse();
        var error = (string)json["error"]!;
        error.ShouldContain("learned.yaml:3:22: 'probe@1.0.0/learned': checkpoint '…/learned.ckpt' does not exist");
        error.ShouldContain("train.yaml' first: it trains this checkpoint");
        error.ShouldNotContain(root);
        (await h.Client.GetAsync("/v2/models/nothing/ready")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await h.Client.GetAsync("/v2/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var rerank = await h.PostAsync("/v1/pipelines/learned:rerank", ServingFixtures.Request());
        rerank.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ((string)(await ServingFixtures.JsonAsync(rerank))["error"]!).ShouldStartWith("pipeline 'learned' is not ready: ");
        (await h.PostAsync("/v1/pipelines/main:rerank", ServingFixtures.Request())).StatusCode.ShouldBe(HttpStatusCode.OK);

        var status = await ServingFixtures.JsonAsync(await h.Client.GetAsync("/dashboard/status"));
        var notReady = status["not_ready"]!.AsArray().ShouldHaveSingleItem()!;
        ((string)notReady["name"]!).ShouldBe("learned");
        ((string)notReady["file"]!).ShouldBe("learned.yaml");
        h.Runtime.Metrics.Render(1, 1, 1).ShouldContain("rerank_pipelines_not_ready 1\n");
    }

    [Fact]
    public async Task Startup_TrainableWithoutCheckpoint_NamesTheExperimentThatIncludesItAndTheFileItSaves()
    {
        var (root, pipelines) = Layout();
        File.WriteAllText(Path.Combine(root, "experiments", "includes.yaml"), "name: includes\npipelines:\n  - file: ../pipelines/bare.yaml\n");
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = Order("main"), ["bare.yaml"] = ServingFixtures.Pipeline("bare", "probe@1.0.0/learned") }, folder: pipelines, paths: new PathPolicy([root]));

        var error = h.Runtime.Current!.NotReadyNamed("bare").ShouldNotBeNull().Error;

        error.ShouldStartWith("bare.yaml:3:22: 'probe@1.0.0/learned' is trainable and serving does not train: give it 'checkpoint:' naming its trained weights ('rerank run ");
        error.ShouldContain("includes.yaml' trains it and saves ");
        error.ShouldMatch(@"out/includes/checkpoints/probe-1\.0\.0-learned-[0-9a-f]{8}\.safetensors\)$");
    }

    [Fact]
    public async Task Reload_CheckpointNowPresent_BringsThePipelineUp()
    {
        var (root, pipelines) = Layout();
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = Order("main"), ["learned.yaml"] = Learned }, folder: pipelines, paths: new PathPolicy([root]));
        ProbePlugin.LearnedGenerator.WriteCheckpoint(Path.Combine(root, "out", "learned.ckpt"), 1);

        var result = await h.ReloadAsync();

        ((bool)result["ok"]!).ShouldBeTrue();
        h.Runtime.Current!.NotReady.ShouldBeEmpty();
        (await h.Client.GetAsync("/v2/models/learned/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reload_PipelineStillNotReady_DoesNotBlockANewOne()
    {
        var (root, pipelines) = Layout();
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = Order("main"), ["learned.yaml"] = Learned }, folder: pipelines, paths: new PathPolicy([root]));
        File.WriteAllText(Path.Combine(pipelines, "second.yaml"), Order("second"));

        var result = await h.ReloadAsync();

        ((bool)result["ok"]!).ShouldBeTrue();
        result["not_ready"]!.AsArray().ShouldHaveSingleItem()!.ToString().ShouldStartWith("learned (learned.yaml): ");
        h.Runtime.Current!.Pipelines.Keys.Order().ShouldBe(["main", "second"]);
    }

    [Fact]
    public async Task Startup_Strict_RefusesAnyPipelineThatDoesNotLoad()
    {
        var (root, pipelines) = Layout();

        var e = await Should.ThrowAsync<ConfigException>(() => ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = Order("main"), ["learned.yaml"] = Learned }, folder: pipelines, strict: true, paths: new PathPolicy([root])));

        e.Errors.Select(x => x.Message).ShouldContain(m => m.StartsWith("pipeline 'learned' is not ready: ", StringComparison.Ordinal));
        e.Errors[^1].Message.ShouldBe("--strict: every pipeline must load");
    }

    [Fact]
    public async Task Reload_HundredThousandNestedBrackets_RefusedWith409AndOldGraphServes()
    {
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = Order("main") });
        File.WriteAllText(Path.Combine(h.Folder, "deep.yaml"), "name: deep\nstages: " + new string('[', 100_000) + "\n");

        using var response = await h.Client.PostAsync("/admin/reload", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var error = (string)(await ServingFixtures.JsonAsync(response))["error"]!;
        error.ShouldContain("deep.yaml: pipeline 'deep' would not be ready: deep.yaml:2:");
        error.ShouldContain($"deeper than {YamlLimits.MaxDepth} levels");
        await AssertStillServingGeneration1(h);
    }

    [Fact]
    public async Task Reload_AliasBomb_RefusedQuicklyAndOldGraphServes()
    {
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = Order("main") });
        File.WriteAllText(Path.Combine(h.Folder, "main.yaml"), Order("main") + "description: x\n" + HostileYaml.BillionLaughs().Replace("a0:", "x0:", StringComparison.Ordinal));

        var result = await h.Runtime.ReloadAsync("file change");

        result.Ok.ShouldBeFalse();
        result.Error.ShouldNotBeNull().ShouldContain("aliases may repeat a block");
        result.Ms.ShouldBeLessThan(10_000);
        await AssertStillServingGeneration1(h);
    }

    [Fact]
    public async Task Reload_UnclosedBraceOnFileChange_IsLoggedInStatusAndMetrics()
    {
        // Issue #16 item 4: this one used to vanish (no log, no metric, no last_reload).
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = Order("main") });
        File.WriteAllText(Path.Combine(h.Folder, "main.yaml"), "name: main\nstages:\n  - generate: { use: probe@1.0.0/order\n  - truncate:\n");

        var result = await h.Runtime.ReloadAsync("file change");

        result.Ok.ShouldBeFalse();
        result.Error.ShouldNotBeNull().ShouldContain("main.yaml: pipeline 'main' would not be ready: main.yaml:");
        result.Error.ShouldContain("the '{' opened at 3:15 is not closed");
        h.Runtime.Metrics.Reloads.Value("failed").ShouldBe(1);
        var status = await ServingFixtures.JsonAsync(await h.Client.GetAsync("/dashboard/status"));
        ((bool)status["last_reload"]!["ok"]!).ShouldBeFalse();
        ((string)status["last_reload"]!["error"]!).ShouldContain("is not closed");
        await AssertStillServingGeneration1(h);
    }

    [Fact]
    public async Task Reload_UnexpectedExceptionWhileBuilding_IsRefusedWith409NotA500()
    {
        var calls = 0;
        await using var h = await ServingHarness.StartAsync(
            new Dictionary<string, string> { ["main.yaml"] = Order("main") },
            catalog: () => ++calls == 1 ? ProbePlugin.Catalog() : throw new InvalidOperationException("catalog exploded"));

        using var response = await h.Client.PostAsync("/admin/reload", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        ((string)(await ServingFixtures.JsonAsync(response))["error"]!).ShouldBe("unexpected InvalidOperationException: catalog exploded");
        h.Runtime.History[^1].Error.ShouldBe("unexpected InvalidOperationException: catalog exploded");
        await AssertStillServingGeneration1(h);
    }

    [Fact]
    public async Task Dashboard_CheckpointLoadError_ShowsNoPathOutsideThePipelinesFolder()
    {
        var (root, pipelines) = Layout();
        File.WriteAllText(Path.Combine(root, "out", "learned.ckpt"), "not a checkpoint");
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = Order("main"), ["learned.yaml"] = Learned }, folder: pipelines, paths: new PathPolicy([root]));

        var text = await (await h.Client.GetAsync("/dashboard/status")).Content.ReadAsStringAsync();

        var error = (string)System.Text.Json.Nodes.JsonNode.Parse(text)!["not_ready"]![0]!["error"]!;
        error.ShouldEndWith("could not be loaded: learned: '…/learned.ckpt' is not a probe checkpoint");
        text.ShouldNotContain(root);
        var admin = await (await h.Client.GetAsync("/admin/plugins")).Content.ReadAsStringAsync();
        admin.ShouldContain(Path.Combine(root, "out", "learned.ckpt"), Case.Sensitive, "the authenticated admin view keeps the full path");
    }

    [Theory]
    [InlineData("nan", "the item score at position 1 is NaN")]
    [InlineData("nan-slate", "the slate score is NaN")]
    public async Task Rerank_NonFiniteScore_IsAStageFailureServedAsFallback(string user, string reason)
    {
        // Issue #16 item 8: a NaN used to be returned as the string "NaN".
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["nan.yaml"] = ServingFixtures.Pipeline("nan", "probe@1.0.0/nan") });

        using var response = await h.PostAsync("/v1/pipelines/nan:rerank", ServingFixtures.Request(user: user));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("\"NaN\"", Case.Sensitive, text);
        var json = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        ((bool)json["fallback"]!).ShouldBeTrue();
        ((string)json["fallback_reason"]!).ShouldContain(reason);
    }

    private static async Task AssertStillServingGeneration1(ServingHarness h)
    {
        h.Runtime.Current!.Generation.ShouldBe(1);
        (await h.PostAsync("/v1/pipelines/main:rerank", ServingFixtures.Request())).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static string Order(string name) => ServingFixtures.Pipeline(name, "probe@1.0.0/order");

    /// <summary>root/pipelines, root/out and root/experiments/train.yaml, whose component saves ../out/learned.ckpt.</summary>
    private static (string Root, string Pipelines) Layout()
    {
        var root = ServingFixtures.NewFolder();
        Directory.CreateDirectory(Path.Combine(root, "out"));
        Directory.CreateDirectory(Path.Combine(root, "experiments"));
        File.WriteAllText(Path.Combine(root, "experiments", "train.yaml"), "name: train\npipelines:\n  - name: learned\n    stages:\n      - generate: { use: probe@1.0.0/learned, checkpoint: ../out/learned.ckpt }\n");
        return (root, Path.Combine(root, "pipelines"));
    }
}
