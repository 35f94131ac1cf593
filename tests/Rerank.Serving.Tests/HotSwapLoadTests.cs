using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Rerank.Abstractions;
using Rerank.Runtime.Plugins;
using Rerank.Serving;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

/// <summary>
/// The load-plus-reload test of issue #8: 8 clients send a fixed number of requests while the pipeline is reloaded 10
/// times (alternating between two plugin versions); no request fails, every response is valid, and afterwards every old
/// graph's plugin load contexts (the real plugins folder, loaded afresh per graph) are collected and memory is back near
/// its baseline. It measures the whole process's managed memory, so it runs alone (see <see cref="ProcessWideCollection"/>).
/// </summary>
[Collection(ProcessWideCollection.Name)]
public sealed class HotSwapLoadTests
{
    private const int Clients = 8;
    private const int RequestsPerClient = 150;
    private const int Reloads = 10;

    [Fact]
    public async Task ReloadAsync_TenReloadsUnderLoad_NoFailuresAndOldContextsCollected()
    {
        var pluginsFolder = Path.Combine(RepoPaths.Root, "artifacts", "plugins");
        Directory.Exists(pluginsFolder).ShouldBeTrue($"{pluginsFolder} is laid out by building the host");
        var folder = ServingFixtures.NewFolder();
        var usesBaselines = RegistersInitial(pluginsFolder);
        WritePipelines(folder, version: "1.0.0", usesBaselines);

        // The test is about swapping, not latency: a generous deadline keeps a loaded 2-core machine from turning slow answers into fallbacks.
        File.WriteAllText(Path.Combine(folder, "serve.yaml"), "limits: { deadline_ms: 5000 }\n");
        await using var server = RerankServer.Create(
            new ServerOptions { PipelinesFolder = folder, PluginsFolder = pluginsFolder, Catalog = () => Catalog(pluginsFolder), Watch = false, AdminToken = "" },
            b => b.WebHost.UseTestServer());
        await server.StartAsync();
        using var client = server.App.GetTestClient();
        for (var i = 0; i < 20; i++)
        {
            (await client.PostAsync("/v1/pipelines/main:rerank", Body(i))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var baseline = Memory();
        var completed = 0;
        var failures = new List<string>();
        var old = new List<(WeakReference[] Contexts, WeakReference Graph, Task Drained)>();
        async Task ClientAsync(int c)
        {
            for (var r = 0; r < RequestsPerClient; r++)
            {
                var problem = await CheckAsync(client, usesBaselines && r % 2 == 1 ? "base" : "main", (c * RequestsPerClient) + r);
                if (problem is not null)
                {
                    lock (failures)
                    {
                        failures.Add(problem);
                    }
                }

                Interlocked.Increment(ref completed);
            }
        }

        async Task ReloaderAsync()
        {
            var step = Clients * RequestsPerClient / (Reloads + 1);
            for (var k = 1; k <= Reloads; k++)
            {
                while (Volatile.Read(ref completed) < k * step)
                {
                    await Task.Delay(2);
                }

                old.Add(Capture(server.Runtime));
                WritePipelines(folder, version: k % 2 == 1 ? "1.1.0" : "1.0.0", usesBaselines);
                var result = await server.Runtime.ReloadAsync("load test");
                result.Ok.ShouldBeTrue(result.Error);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(() => ClientAsync(c))).Append(ReloaderAsync())).WaitAsync(TimeSpan.FromSeconds(30));
        failures.ShouldBeEmpty();
        completed.ShouldBe(Clients * RequestsPerClient);
        server.Runtime.Current!.Generation.ShouldBe(Reloads + 1);
        old.Count.ShouldBe(Reloads);
        old.ShouldAllBe(o => o.Contexts.Length > 0);
        await Task.WhenAll(old.Select(o => o.Drained)).WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 40 && old.Any(o => o.Graph.IsAlive || o.Contexts.Any(w => w.IsAlive)); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(25);
        }

        old.Where(o => o.Graph.IsAlive).ShouldBeEmpty("old serving graphs are still referenced");
        old.SelectMany(o => o.Contexts).Where(w => w.IsAlive).ShouldBeEmpty("old plugin load contexts were not collected");
        var after = Memory();
        (after - baseline).ShouldBeLessThan(24L << 20, $"managed memory grew from {baseline >> 20} MB to {after >> 20} MB");
    }

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Weak references to the current graph and its load contexts, taken in a frame of its own so that no local keeps them alive.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference[] Contexts, WeakReference Graph, Task Drained) Capture(ServingRuntime runtime)
    {
        var graph = runtime.Current!;
        return ([.. graph.Plugins.Where(p => p.LoadContext is not null).Select(p => new WeakReference(p.LoadContext))], new WeakReference(graph), graph.Drained);
    }

    /// <summary>A fresh catalog per graph: the real plugins folder in new collectible contexts, plus the in-process probe plugin.</summary>
    private static PluginCatalog Catalog(string pluginsFolder)
    {
        var loaded = new PluginLoader().LoadFolder(pluginsFolder);
        return new PluginCatalog(loaded.Plugins.Concat(ProbePlugin.Catalog().Plugins));
    }

    /// <summary>Whether the real Baselines plugin registers 'initial' (then a second pipeline runs plugin code from the collectible context).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool RegistersInitial(string pluginsFolder)
    {
        using var catalog = new PluginLoader().LoadFolder(pluginsFolder);
        return catalog.Plugins.Any(p => p.Id == "baselines" && p.Components.Any(c => c.Kind == ComponentKind.Generator && c.Name == "initial"));
    }

    private static void WritePipelines(string folder, string version, bool usesBaselines)
    {
        Rerank.Runtime.IO.AtomicFile.WriteAllText(Path.Combine(folder, "main.yaml"), ServingFixtures.Pipeline("main", $"probe@{version}/order"));
        if (usesBaselines)
        {
            Rerank.Runtime.IO.AtomicFile.WriteAllText(Path.Combine(folder, "base.yaml"), ServingFixtures.Pipeline("base", "baselines@^1.0/initial"));
        }
    }

    private static StringContent Body(int i) =>
        new(ServingFixtures.Request(n: 8, slate: 4, id: "r" + i, user: "u" + (i % 50)).ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    /// <summary>Sends one request; returns what is wrong with the answer, or null when it is valid.</summary>
    private static async Task<string?> CheckAsync(HttpClient client, string pipeline, int i)
    {
        using var response = await client.PostAsync($"/v1/pipelines/{pipeline}:rerank", Body(i));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return $"request {i}: HTTP {(int)response.StatusCode}: {text}";
        }

        var json = JsonNode.Parse(text)!;
        var ids = ServingFixtures.Ids(json);
        var plugins = json["plugins"]!.AsArray().Select(p => (string)p!).ToList();
        string[] expected = pipeline == "base"
            ? ["c7", "c6", "c5", "c4"]
            : plugins.SequenceEqual(["probe@1.0.0"]) ? ["c0", "c1", "c2", "c3"] : ["c7", "c6", "c5", "c4"];
        return (bool)json["fallback"]! ? $"request {i}: fallback ({json["fallback_reason"]})"
            : !ids.SequenceEqual(expected) ? $"request {i}: {pipeline} answered [{string.Join(", ", ids)}] with {string.Join(", ", plugins)}"
            : (string)json["request_id"]! != "r" + i ? $"request {i}: answered as {json["request_id"]}"
            : null;
    }
}
