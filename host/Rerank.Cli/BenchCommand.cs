using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rerank.Benchmarks;
using Rerank.Runtime.IO;
using Rerank.Runtime.Plugins;
using Rerank.Serving;

namespace Rerank.Cli;

/// <summary><c>rerank bench</c>: performance measurements. <c>bench serve</c> drives the HTTP server at fixed concurrency over loopback.</summary>
internal static class BenchCommand
{
    /// <summary>The pipeline <c>bench serve</c> measures when no folder is given: the ranking order diversified by MMR.</summary>
    public const string DefaultPipelineYaml = """
        name: initial-mmr
        description: The ranking stage's order re-ordered by maximal marginal relevance (the serving benchmark's default).
        stages:
          - generate: { use: baselines@^1.0/initial }
          - diversify: { use: baselines@^1.0/mmr }
        """;

    public static Command Create()
    {
        var command = new Command("bench", "Measure performance.");
        command.Subcommands.Add(CreateServe());
        command.Subcommands.Add(BenchEngineCommand.Create());
        command.Subcommands.Add(BenchPipelineCommand.Create());
        command.Subcommands.Add(BenchGpuCommand.Create());
        command.Subcommands.Add(BenchOnnxCommand.Create());
        return command;
    }

    private static Command CreateServe()
    {
        var plugins = CliApp.PluginsOption();
        var serve = new ServeCliOptions();
        var pipeline = new Option<string>("--pipeline") { Description = "Pipeline or split to call.", DefaultValueFactory = _ => "initial-mmr" };
        var url = new Option<string?>("--url") { Description = "Benchmark a running server at this base address instead of starting one in-process." };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients.", DefaultValueFactory = _ => 8 }.InRange(new(1, 1024));
        var requests = new Option<int>("--requests") { Description = "Measured requests.", DefaultValueFactory = _ => 20_000 }.InRange(new(1, 10_000_000));
        var warmup = new Option<int>("--warmup") { Description = "Warm-up requests (not measured; enough for tiered JIT to finish).", DefaultValueFactory = _ => 10_000 }.InRange(new(0, 10_000_000));
        var candidates = new Option<int>("--candidates", "-n") { Description = "N, candidates per request.", DefaultValueFactory = _ => 50 }.InRange(new(1, 10_000));
        var slate = new Option<int>("--slate-size", "-l") { Description = "L, the slate size.", DefaultValueFactory = _ => 10 }.InRange(new(1, 10_000));
        var output = new Option<FileInfo?>("--out") { Description = "Also write the result as JSON to this file." };
        var client = new Option<string>("--client") { Description = "Load generator: raw (pre-encoded HTTP/1.1 on keep-alive sockets, like wrk) or httpclient.", DefaultValueFactory = _ => "raw" };
        var command = new Command("serve", "Latency (p50/p99) and throughput of rerank serve over loopback at fixed concurrency. Default: initial + MMR, N = 50, L = 10, 8 clients.");
        command.Options.Add(plugins);
        serve.AddTo(command);
        foreach (var option in new Option[] { pipeline, url, concurrency, requests, warmup, candidates, slate, output, client })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var options = new ServeBenchOptions
            {
                Pipeline = parse.GetValue(pipeline)!,
                Concurrency = parse.GetValue(concurrency),
                Requests = parse.GetValue(requests),
                WarmupRequests = parse.GetValue(warmup),
                Candidates = parse.GetValue(candidates),
                SlateSize = parse.GetValue(slate),
                Client = parse.GetValue(client) switch
                {
                    "raw" => BenchClient.Raw,
                    "httpclient" => BenchClient.HttpClient,
                    var other => throw new InvalidDataException($"--client '{other}' is not a load generator; use raw or httpclient"),
                },
            };
            if (options.SlateSize > options.Candidates)
            {
                throw new InvalidDataException($"--slate-size {options.SlateSize} exceeds --candidates {options.Candidates}");
            }

            var result = parse.GetValue(url) is { } text
                ? ServeBenchmark.RunAsync(BaseAddress(text), ServeConfigReader.Read(serve.Pipelines(parse), serve.Overrides(parse)).Schema, options, CancellationToken.None).GetAwaiter().GetResult()
                : InProcess(parse.GetValue(plugins)?.FullName, serve.HasPipelines(parse) ? serve.Pipelines(parse) : null, serve.Overrides(parse), options);
            Print(options, result);
            if (parse.GetValue(output) is { } file)
            {
                AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(result, BenchJsonContext.Default.ServeBenchResult));
            }

            return result.Failed == 0 ? 0 : 1;
        }));
        return command;
    }

    /// <summary>Starts a server on a free loopback port (the default pipeline in a temp folder unless one is given) and drives it.</summary>
    private static ServeBenchResult InProcess(string? pluginsFolder, string? pipelinesFolder, ServeOverrides overrides, ServeBenchOptions options)
    {
        string? temp = null;
        if (pipelinesFolder is null)
        {
            temp = Directory.CreateTempSubdirectory("rerank-bench-").FullName;
            AtomicFile.WriteAllText(Path.Combine(temp, "initial-mmr.yaml"), DefaultPipelineYaml);
            pipelinesFolder = temp;
        }

        try
        {
            var server = RerankServer.Create(new ServerOptions
            {
                PluginsFolder = PluginPaths.Resolve(pluginsFolder),
                PipelinesFolder = pipelinesFolder,
                Urls = ["http://127.0.0.1:0"],
                Overrides = overrides,
                Watch = false,
            }, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
            try
            {
                server.StartAsync().GetAwaiter().GetResult();
                var address = new Uri(server.Addresses[0]);
                var result = ServeBenchmark.RunAsync(address, server.Schema, options, CancellationToken.None).GetAwaiter().GetResult();
                return result with { MeanBatchSize = server.MeanBatchSize(options.Pipeline) };
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            if (temp is not null)
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private static void Print(ServeBenchOptions o, ServeBenchResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"bench serve: pipeline {o.Pipeline}, N = {o.Candidates}, L = {o.SlateSize}, {r.Concurrency} clients, {r.Requests} requests (+{o.WarmupRequests} warm-up), {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(inv, $"  throughput  {r.Throughput,10:F0} requests/s  ({r.Seconds:F2} s)"));
        Console.WriteLine(string.Create(inv, $"  latency     p50 {r.P50Ms:F2} ms   p90 {r.P90Ms:F2} ms   p99 {r.P99Ms:F2} ms   max {r.MaxMs:F2} ms"));
        Console.WriteLine(string.Create(inv, $"  failed      {r.Failed}   fallbacks {r.Fallbacks}   mean batch size {r.MeanBatchSize:F2}"));
        Console.WriteLine(string.Create(inv, $"  cpu         {r.CpuMicrosecondsPerRequest:F0} µs per request in this process ({r.Client} client{(r.MeanBatchSize > 0 ? " + server" : "")}), {o.Candidates} candidates"));
    }

    private static Uri BaseAddress(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidDataException($"--url '{text}' is not an http(s) address such as http://127.0.0.1:8080");
}
