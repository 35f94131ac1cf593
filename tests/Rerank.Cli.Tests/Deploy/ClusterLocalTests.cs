using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.Testing;
using Xunit.Abstractions;

namespace Rerank.Cli.Tests.Deploy;

/// <summary>
/// <c>scripts/cluster-local.sh</c>: three real <c>rerank serve</c> replicas behind nginx under steady load while the
/// pipeline changes (every replica hot-swaps), one replica is SIGKILLed and restarted and another drains on SIGTERM:
/// no client request may fail, every response must be a valid slate, and traffic-split arms are the same user's on every
/// replica.
/// </summary>
public sealed class ClusterLocalTests(ITestOutputHelper output) : IDisposable
{
    private const int Replicas = 3;

    /// <summary>The quick start's request (docs/serving.md): by ctr b, c, a; by cvr c, d, a.</summary>
    private const string Request = """
        {"request_id": "r-1", "user_id": "USER", "user_categorical": [42, 3], "slate_size": 3, "candidates": [
          {"id": "a", "categorical": [101, 1], "dense": [2.3], "priors": [0.10, 0.020], "price": 9.9},
          {"id": "b", "categorical": [102, 1], "dense": [3.1], "priors": [0.30, 0.010], "price": 22.0},
          {"id": "c", "categorical": [103, 2], "dense": [1.7], "priors": [0.20, 0.050], "price": 5.5},
          {"id": "d", "categorical": [104, 3], "dense": [2.9], "priors": [0.05, 0.040], "price": 18.0}]}
        """;

    private static readonly string[] ByCtr = ["b", "c", "a"];
    private static readonly string[] ByCvr = ["c", "d", "a"];

    private readonly TempFolder _folder = new();
    private readonly int _port = FreePortRun(Replicas + 1);

    public void Dispose()
    {
        Script("stop", allowFailure: true);
        _folder.Dispose();
    }

    [ToolFact("nginx")]
    public async Task ThreeReplicasBehindNginx_HotSwapKillAndDrainUnderLoad_NoFailedRequest()
    {
        var pipelines = Directory.CreateDirectory(Path.Combine(_folder.Path, "pipelines")).FullName;
        File.WriteAllText(Path.Combine(pipelines, "ranked.yaml"), Ranked("ctr"));
        File.WriteAllText(Path.Combine(pipelines, "ranked-b.yaml"), Ranked("cvr").Replace("name: ranked", "name: ranked-b", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(pipelines, "splits.yaml"), "splits:\n  - name: ab\n    arms:\n      - { pipeline: ranked, weight: 50, name: a }\n      - { pipeline: ranked-b, weight: 50, name: b }\n");
        var clock = Stopwatch.StartNew();
        output.WriteLine(Script("start", Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var load = new Load(client, new Uri($"http://127.0.0.1:{_port}/v1/pipelines/ranked:rerank"));
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(() => load.RunAsync(c))).ToArray();
        await Task.Delay(2000);

        // (a) The pipeline changes on disk (written aside, renamed into place): every replica serves the new one.
        var temp = Path.Combine(pipelines, ".ranked.yaml.tmp");
        File.WriteAllText(temp, Ranked("cvr"));
        File.Move(temp, Path.Combine(pipelines, "ranked.yaml"), overwrite: true);
        for (var i = 1; i <= Replicas; i++)
        {
            await WaitUntilAsync(client, i, ByCvr);
        }

        var seen = new Dictionary<string, string[]>();
        for (var k = 0; k < 60 && seen.Count < Replicas; k++)
        {
            var (upstream, ids) = await CallAsync(client, new Uri($"http://127.0.0.1:{_port}/v1/pipelines/ranked:rerank"), "u-check");
            seen[upstream] = ids;
        }

        seen.Count.ShouldBe(Replicas, "nginx spreads requests over every replica");
        seen.Values.ShouldAllBe(ids => ids.SequenceEqual(ByCvr), "after the change every replica answers with the new pipeline");

        // (b) One replica dies without warning and comes back; (c) another drains on SIGTERM and comes back.
        output.WriteLine(Script("kill", "1"));
        await Task.Delay(1500);
        output.WriteLine(Script("restart", "1"));
        output.WriteLine(Script("term", "2"));
        await Task.Delay(500);
        output.WriteLine(Script("restart", "2"));
        await Task.Delay(1500);
        load.Stop();
        await Task.WhenAll(clients);

        output.WriteLine($"{load.Total} requests in {clock.Elapsed.TotalSeconds:0.0} s ({load.Old} answered by the old pipeline, {load.New} by the new), {load.Failures.Count} failed");
        load.Failures.ShouldBeEmpty();
        load.Total.ShouldBeGreaterThan(100);
        load.New.ShouldBeGreaterThan(0);

        // Sticky arms: the same user gets the same arm from every replica (the hash is deterministic), and both arms occur.
        var arms = new List<string>();
        for (var u = 0; u < 16; u++)
        {
            var answers = new List<string>();
            for (var i = 1; i <= Replicas; i++)
            {
                var json = await PostAsync(client, new Uri($"http://127.0.0.1:{_port + i}/v1/pipelines/ab:rerank"), $"user-{u}");
                answers.Add((string)json["arm"]!);
            }

            answers.Distinct().ShouldHaveSingleItem($"user-{u} got arms {string.Join(", ", answers)} from the three replicas");
            arms.Add(answers[0]);
        }

        arms.Distinct().Order().ShouldBe(["a", "b"]);
        output.WriteLine(Script("status"));
    }

    private static string Ranked(string prior) =>
        $"name: ranked\nstages:\n  - generate: {{ use: baselines@^1.0/initial, params: {{ prior: {prior} }} }}\n";

    private async Task WaitUntilAsync(HttpClient client, int replica, string[] expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var url = new Uri($"http://127.0.0.1:{_port + replica}/v1/pipelines/ranked:rerank");
        while (!(await CallAsync(client, url, "u-wait")).Ids.SequenceEqual(expected))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"replica {replica} still serves the old pipeline 30 s after the change");
            await Task.Delay(100);
        }
    }

    private static async Task<(string Upstream, string[] Ids)> CallAsync(HttpClient client, Uri url, string user)
    {
        using var response = await client.PostAsync(url, Body(user));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var upstream = response.Headers.TryGetValues("X-Rerank-Upstream", out var values) ? values.First() : url.Authority;
        return (upstream, Ids(json));
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, Uri url, string user)
    {
        using var response = await client.PostAsync(url, Body(user));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static string[] Ids(JsonNode json) => [.. json["items"]!.AsArray().Select(i => (string)i!["id"]!)];

    private static StringContent Body(string user) => new(Request.Replace("USER", user, StringComparison.Ordinal), Encoding.UTF8, "application/json");

    private string Script(string command, string? argument = null, bool allowFailure = false)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "cluster-local.sh"));
        start.ArgumentList.Add(command);
        if (argument is not null)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RERANK_CLUSTER_DIR"] = Path.Combine(_folder.Path, "cluster");
        start.Environment["RERANK_CLUSTER_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RERANK_PIPELINES"] = Path.Combine(_folder.Path, "pipelines");
        start.Environment["RERANK_PLUGINS"] = Path.Combine(RepoPaths.Root, "artifacts", "plugins");
        start.Environment["RERANK_CMD"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "rerank.dll")}";
        start.Environment["RERANK_SERVE_ARGS"] = "--workers 1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(3)).ShouldBeTrue($"cluster-local.sh {command} did not finish in 3 minutes");
        if (!allowFailure)
        {
            process.ExitCode.ShouldBe(0, $"cluster-local.sh {command} {argument}: {stdout.Result}{stderr.Result}");
        }

        return stdout.Result.Trim();
    }

    /// <summary>The first of <paramref name="count"/> consecutive free loopback ports.</summary>
    private static int FreePortRun(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20_000, 60_000 - count);
            if (Enumerable.Range(first, count).All(Free))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"no {count} consecutive free ports found");
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Steady load: each client posts the request in a loop and checks every answer.</summary>
    private sealed class Load(HttpClient client, Uri url)
    {
        private volatile bool _stopped;
        private int _total;
        private int _old;
        private int _new;

        public System.Collections.Concurrent.ConcurrentBag<string> Failures { get; } = [];

        public int Total => _total;

        public int Old => _old;

        public int New => _new;

        public void Stop() => _stopped = true;

        public async Task RunAsync(int clientIndex)
        {
            var k = 0;
            while (!_stopped)
            {
                var user = $"load-{clientIndex}-{k++}";
                try
                {
                    using var response = await client.PostAsync(url, Body(user));
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Failures.Add($"{(int)response.StatusCode}: {text}");
                        continue;
                    }

                    var json = JsonNode.Parse(text)!;
                    var ids = Ids(json);
                    if ((string?)json["request_id"] != "r-1" || !(ids.SequenceEqual(ByCtr) || ids.SequenceEqual(ByCvr)))
                    {
                        Failures.Add($"invalid answer: {text}");
                        continue;
                    }

                    Interlocked.Increment(ref (ids.SequenceEqual(ByCtr) ? ref _old : ref _new));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    Failures.Add($"{e.GetType().Name}: {e.Message}");
                }
                finally
                {
                    Interlocked.Increment(ref _total);
                }
            }
        }
    }
}
