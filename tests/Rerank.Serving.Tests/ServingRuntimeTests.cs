using System.Net;
using Microsoft.AspNetCore.TestHost;
using Rerank.Runtime.Configuration;
using Rerank.Serving;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class ServingRuntimeTests
{
    [Fact]
    public async Task ReloadAsync_PipelineYamlChanged_NewAlgorithmAnswersWithoutRestart()
    {
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = ServingFixtures.Pipeline("main", "probe@1.0.0/order") });
        ServingFixtures.Ids(await ServingFixtures.JsonAsync(await h.PostAsync("/v1/pipelines/main:rerank", ServingFixtures.Request())))
            .ShouldBe(["c0", "c1", "c2"]);
        File.WriteAllText(Path.Combine(h.Folder, "main.yaml"), ServingFixtures.Pipeline("main", "probe@1.1.0/order"));
        var old = h.Runtime.Current!;
        var result = await h.Runtime.ReloadAsync("test");
        result.Ok.ShouldBeTrue(result.Error);
        result.Generation.ShouldBe(2);
        var json = await ServingFixtures.JsonAsync(await h.PostAsync("/v1/pipelines/main:rerank", ServingFixtures.Request()));
        ServingFixtures.Ids(json).ShouldBe(["c4", "c3", "c2"]);
        json["plugins"]!.AsArray().Select(p => (string)p!).ShouldBe(["probe@1.1.0"]);
        ((long)json["graph"]!).ShouldBe(2);
        await old.Drained.WaitAsync(TimeSpan.FromSeconds(10));
        old.TryAcquire().ShouldBeFalse();
    }

    [Fact]
    public async Task Watch_FileChanged_ReloadsAfterDebounce()
    {
        var folder = ServingFixtures.NewFolder();
        File.WriteAllText(Path.Combine(folder, "main.yaml"), ServingFixtures.Pipeline("main", "probe@1.0.0/order"));
        await using var server = RerankServer.Create(
            new ServerOptions { PipelinesFolder = folder, Catalog = ProbePlugin.Catalog, Watch = true, Debounce = TimeSpan.FromMilliseconds(100), AdminToken = "" },
            b => b.WebHost.UseTestServer());
        await server.StartAsync();
        File.WriteAllText(Path.Combine(folder, "second.yaml"), ServingFixtures.Pipeline("second", "probe@1.1.0/order"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (server.Runtime.Current!.Generation < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        server.Runtime.Current!.Pipelines.Keys.Order().ShouldBe(["main", "second"]);
        server.Runtime.History[^1].Trigger.ShouldBe("file change");
    }

    [Fact]
    public async Task Watch_ConfigMapUpdatedAsTheKubeletDoes_Reloads()
    {
        // A mounted ConfigMap: main.yaml → ..data/main.yaml, ..data → ..v1 (hidden); an update writes ..v2 and renames a
        // new link over ..data, so no visible file changes.
        var folder = ServingFixtures.NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, "..v1"));
        File.WriteAllText(Path.Combine(folder, "..v1", "main.yaml"), ServingFixtures.Pipeline("main", "probe@1.0.0/order"));
        Directory.CreateSymbolicLink(Path.Combine(folder, FileWatcher.KubeletDataLink), "..v1");
        File.CreateSymbolicLink(Path.Combine(folder, "main.yaml"), Path.Combine(FileWatcher.KubeletDataLink, "main.yaml"));
        await using var server = RerankServer.Create(
            new ServerOptions { PipelinesFolder = folder, Catalog = ProbePlugin.Catalog, Watch = true, Debounce = TimeSpan.FromMilliseconds(100), AdminToken = "" },
            b => b.WebHost.UseTestServer());
        await server.StartAsync();
        server.Runtime.Current!.Pipelines["main"].Plugins.ShouldBe(["probe@1.0.0"]);

        Directory.CreateDirectory(Path.Combine(folder, "..v2"));
        File.WriteAllText(Path.Combine(folder, "..v2", "main.yaml"), ServingFixtures.Pipeline("main", "probe@1.1.0/order"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "..data_tmp"), "..v2");
        // rename(2) of the link over the link, as the kubelet does (File.Move would follow the link to the folder).
        using (var mv = System.Diagnostics.Process.Start("mv", ["-T", Path.Combine(folder, "..data_tmp"), Path.Combine(folder, FileWatcher.KubeletDataLink)]))
        {
            await mv.WaitForExitAsync();
            mv.ExitCode.ShouldBe(0);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (server.Runtime.Current!.Generation < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        server.Runtime.Current!.Generation.ShouldBe(2);
        server.Runtime.Current!.Pipelines["main"].Plugins.ShouldBe(["probe@1.1.0"]);
        server.Runtime.History[^1].Trigger.ShouldBe("file change");
    }

    [Fact]
    public void TokenFile_MountedSecret_IsReadTrimmed_AndAMissingOrEmptyFileIsNoToken()
    {
        var folder = ServingFixtures.NewFolder();
        var file = Path.Combine(folder, "admin-token");
        File.WriteAllText(file, "s3cret\n");
        RerankServer.TokenFile(file).ShouldBe("s3cret");
        File.WriteAllText(file, " \n");
        RerankServer.TokenFile(file).ShouldBeNull();
        RerankServer.TokenFile(Path.Combine(folder, "absent")).ShouldBeNull();
        RerankServer.TokenFile(null).ShouldBeNull();
    }

    [Fact]
    public async Task ReloadAsync_InvalidServeYaml_KeepsOldGraph()
    {
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string> { ["main.yaml"] = ServingFixtures.Pipeline("main", "probe@1.0.0/order") });
        File.WriteAllText(Path.Combine(h.Folder, "serve.yaml"), "limits: { max_candidates: 0 }\n");
        var result = await h.Runtime.ReloadAsync("test");
        result.Ok.ShouldBeFalse();
        result.Error.ShouldNotBeNull().ShouldContain("'max_candidates' must be in [1, 10000], got 0");
        h.Runtime.Current!.Generation.ShouldBe(1);
        (await h.PostAsync("/v1/pipelines/main:rerank", ServingFixtures.Request())).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void Create_BrokenFolder_ThrowsWithEveryError()
    {
        var folder = ServingFixtures.NewFolder();
        File.WriteAllText(Path.Combine(folder, "a.yaml"), ServingFixtures.Pipeline("a", "probe@1.0.0/nothing"));
        File.WriteAllText(Path.Combine(folder, "b.yaml"), ServingFixtures.Pipeline("b", "probe@2.0.0/order"));
        var e = Should.Throw<ConfigException>(() => RerankServer.Create(
            new ServerOptions { PipelinesFolder = folder, Catalog = ProbePlugin.Catalog, Watch = false },
            b => b.WebHost.UseTestServer()));
        e.Errors.Count.ShouldBe(3);
        e.Errors[0].Message.ShouldContain("has no generator 'nothing'");
        e.Errors[1].Message.ShouldContain("no version of plugin 'probe' matches '2.0.0'");
        e.Errors[2].Message.ShouldBe("no pipeline could be loaded");
    }

    [Fact]
    public async Task Pipelines_TwoPluginVersions_ServeSideBySide()
    {
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string>
        {
            ["v1.yaml"] = ServingFixtures.Pipeline("v1", "probe@1.0.0/order"),
            ["v2.yaml"] = ServingFixtures.Pipeline("v2", "probe@1.1.0/order"),
        });
        var v1 = await ServingFixtures.JsonAsync(await h.PostAsync("/v1/pipelines/v1:rerank", ServingFixtures.Request()));
        var v2 = await ServingFixtures.JsonAsync(await h.PostAsync("/v1/pipelines/v2:rerank", ServingFixtures.Request()));
        ServingFixtures.Ids(v1).ShouldBe(["c0", "c1", "c2"]);
        ServingFixtures.Ids(v2).ShouldBe(["c4", "c3", "c2"]);
        ((string)v1["plugins"]![0]!).ShouldBe("probe@1.0.0");
        ((string)v2["plugins"]![0]!).ShouldBe("probe@1.1.0");
    }
}
