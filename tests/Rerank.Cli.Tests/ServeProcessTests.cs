using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rerank.Abstractions;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary>Starts the real <c>rerank serve</c> process (the host build beside the tests) on a free loopback port.</summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task Serve_RealProcess_AnswersHealthMetricsAndHotSwapsFromFiles()
    {
        var plugins = Path.Combine(RepoPaths.Root, "artifacts", "plugins");
        var folder = ServingFixtures.NewFolder();
        var hasInitial = RegistersInitial(plugins);
        if (hasInitial)
        {
            File.WriteAllText(Path.Combine(folder, "initial.yaml"), ServingFixtures.Pipeline("initial", "baselines@^1.0/initial"));
        }

        using var process = Start(plugins, folder);
        try
        {
            var address = await ListeningAddressAsync(process);
            address.ShouldStartWith("http://127.0.0.1:");
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(20) };
            (await client.GetAsync("/v2/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsync("/admin/plugins")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var metrics = await client.GetStringAsync("/metrics");
            metrics.ShouldContain("rerank_graph_generation 1");
            if (!hasInitial)
            {
                // Until Baselines registers 'initial', the folder has no servable pipeline: live, not ready.
                (await client.GetAsync("/v2/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
                return;
            }

            (await client.GetAsync("/v2/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var request = ServingFixtures.Request(n: 5, slate: 3);
            using var response = await client.PostAsync("/v1/pipelines/initial:rerank", JsonContent.Create(request));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var json = await ServingFixtures.JsonAsync(response);
            ServingFixtures.Ids(json).ShouldBe(["c4", "c3", "c2"]);
            ((string)json["plugins"]![0]!).ShouldBe("baselines@1.0.0");

            // Hot swap from a file change: a second pipeline appears without a restart.
            File.WriteAllText(Path.Combine(folder, "second.yaml"), ServingFixtures.Pipeline("second", "baselines@^1.0/initial"));
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while ((await client.GetAsync("/v2/models/second/ready")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }

            using var second = await client.PostAsync("/v1/pipelines/second:rerank", JsonContent.Create(request));
            second.StatusCode.ShouldBe(HttpStatusCode.OK);
            ((long)(await ServingFixtures.JsonAsync(second))["graph"]!).ShouldBe(2);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Serve_ShippedPipelinesInAFreshClone_ServesThoseThatLoadAndSurvivesHostileFiles()
    {
        // Issue #16 item 9: a fresh clone has no out/, so six of the seven shipped pipelines lack their checkpoints.
        var root = ServingFixtures.NewFolder();
        foreach (var folder in new[] { "pipelines", "experiments" })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), "*.yaml"))
            {
                File.Copy(file, Path.Combine(root, folder, Path.GetFileName(file)));
            }
        }

        var pipelines = Path.Combine(root, "pipelines");
        using var process = Start(Path.Combine(RepoPaths.Root, "artifacts", "plugins"), pipelines, workingDirectory: root);
        try
        {
            var address = await ListeningAddressAsync(process);
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(20) };
            (await client.GetAsync("/v2/models/initial-mmr/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
            using var sortgen = await client.GetAsync("/v2/models/sortgen/ready");
            sortgen.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            ((string)(await ServingFixtures.JsonAsync(sortgen))["error"]!).ShouldContain("run 'rerank run experiments/sortgen.yaml' first");
            var status = await ServingFixtures.JsonAsync(await client.GetAsync("/dashboard/status"));
            status["not_ready"]!.AsArray().Count.ShouldBe(6);

            // A hostile file on hot reload: refused, the server stays up and keeps serving.
            File.WriteAllText(Path.Combine(pipelines, "deep.yaml"), "name: deep\nstages: " + new string('[', 100_000) + "\n");
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            JsonNode? last = null;
            while (DateTime.UtcNow < until && (last = (await ServingFixtures.JsonAsync(await client.GetAsync("/dashboard/status")))["last_reload"])?["trigger"]?.ToString() != "file change")
            {
                await Task.Delay(100);
            }

            ((bool)last!["ok"]!).ShouldBeFalse();
            ((string)last["error"]!).ShouldContain("deeper than 64 levels");
            using var response = await client.PostAsync("/v1/pipelines/initial-mmr:rerank", JsonContent.Create(ServingFixtures.Request(n: 12, slate: 6)));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            process.HasExited.ShouldBeFalse();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static Process Start(string plugins, string pipelines, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "rerank.dll"), "serve", "--plugins", plugins, "--pipelines", pipelines, "--urls", "http://127.0.0.1:0", "--debounce-ms", "100" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("RERANK_ADMIN_TOKEN");
        start.Environment["NO_COLOR"] = "1";
        return Process.Start(start)!;
    }

    private static async Task<string> ListeningAddressAsync(Process process)
    {
        const string marker = "listening on ";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.Add(line);
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                return line[(at + marker.Length)..].Trim();
            }
        }

        throw new InvalidOperationException($"rerank serve exited before listening: {string.Join(" | ", seen)} {await process.StandardError.ReadToEndAsync()}");
    }

    private static bool RegistersInitial(string plugins)
    {
        using var catalog = new PluginLoader().LoadFolder(plugins);
        return catalog.Plugins.Any(p => p.Id == "baselines" && p.Components.Any(c => c.Kind == ComponentKind.Generator && c.Name == "initial"));
    }
}
