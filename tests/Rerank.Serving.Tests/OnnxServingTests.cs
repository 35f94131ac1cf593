using System.Net;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

/// <summary>An ONNX pipeline served and hot-swapped like any other (the onnx plugin from artifacts/plugins, a PyTorch-written fixture model).</summary>
public sealed class OnnxServingTests
{
    private const string Pipeline = """
        name: onnx
        stages:
          - generate:
              scorer:
                use: onnx@^1.0/scorer
                checkpoint: model.onnx
                params:
                  inputs:
                    - { name: features, from: candidate_features }
                    - { name: mask, from: candidate_mask }
              decoder: baselines@^1.0/greedy
        """;

    private static string Fixture(string file) => Path.Combine(RepoPaths.Root, "tests", "fixtures", "onnx", file);

    private static PluginCatalog Shipped() => new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));

    [Fact]
    public async Task OnnxScorer_Served_ModelThatDoesNotFitIsRefusedOnReloadAndTheOldOneKeepsServing()
    {
        var folder = ServingFixtures.NewFolder();
        var model = Path.Combine(folder, "model.onnx");
        File.Copy(Fixture("scorer_linear.onnx"), model);
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["onnx.yaml"] = Pipeline }, Shipped, folder: folder);

        using var first = await h.PostAsync("/v1/pipelines/onnx:rerank", ServingFixtures.Request(n: 6, slate: 3));
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var served = ServingFixtures.Ids(await ServingFixtures.JsonAsync(first));
        served.Length.ShouldBe(3);

        // A model of another output kind ([B, L, N] log-probabilities) no longer fits: the new graph is refused, the old one keeps serving.
        File.Copy(Fixture("scorer_positions.onnx"), model, overwrite: true);
        var reload = await h.ReloadAsync();
        ((bool)reload["ok"]!).ShouldBeFalse(reload.ToJsonString());
        ((string)reload["error"]!).ShouldContain("output 'log_probs' is float32 [batch, 3, n]");

        using var after = await h.PostAsync("/v1/pipelines/onnx:rerank", ServingFixtures.Request(n: 6, slate: 3));
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        ServingFixtures.Ids(await ServingFixtures.JsonAsync(after)).ShouldBe(served);

        // A model that fits is swapped in.
        File.Copy(Fixture("scorer_linear.onnx"), model, overwrite: true);
        var good = await h.ReloadAsync();
        ((bool)good["ok"]!).ShouldBeTrue(good.ToJsonString());
        using var swapped = await h.PostAsync("/v1/pipelines/onnx:rerank", ServingFixtures.Request(n: 6, slate: 3));
        ServingFixtures.Ids(await ServingFixtures.JsonAsync(swapped)).ShouldBe(served);
    }
}
