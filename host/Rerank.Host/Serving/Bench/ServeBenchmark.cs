using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Host.Serving.Json;

namespace Rerank.Host.Serving.Bench;

/// <summary>
/// A closed-loop load generator over loopback: C clients, each with its own connection, send pre-serialized synthetic
/// requests back to back; latency is measured per request from send to the last byte of the answer.
/// </summary>
internal static class ServeBenchmark
{
    private static readonly byte[] FallbackMarker = "\"fallback\":true"u8.ToArray();

    public static async Task<ServeBenchResult> RunAsync(Uri baseAddress, FeatureSchema schema, ServeBenchOptions options, CancellationToken cancellation)
    {
        var bodies = Enumerable.Range(0, options.DistinctBodies)
            .Select(i => JsonSerializer.SerializeToUtf8Bytes(SyntheticRequests.Create(schema, options.Candidates, options.SlateSize, options.Seed, i), ServingJson.Context.RerankRequestJson))
            .ToArray();
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var path = new Uri($"/v1/pipelines/{Uri.EscapeDataString(options.Pipeline)}:rerank", UriKind.Relative);
        await PhaseAsync(client, path, bodies, options.WarmupRequests, options.Concurrency, new long[options.WarmupRequests], cancellation).ConfigureAwait(false);
        var latencies = new long[options.Requests];
        var start = Stopwatch.GetTimestamp();
        var (failed, fallbacks) = await PhaseAsync(client, path, bodies, options.Requests, options.Concurrency, latencies, cancellation).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Array.Sort(latencies);
        double Ms(double q) => latencies.Length == 0 ? 0 : TimeSpan.FromTicks(latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)]).TotalMilliseconds;
        return new ServeBenchResult(options.Requests, options.Concurrency, seconds, options.Requests / seconds, Ms(0.50), Ms(0.90), Ms(0.99), Ms(1.0), failed, fallbacks, 0);
    }

    private static async Task<(int Failed, int Fallbacks)> PhaseAsync(HttpClient client, Uri path, byte[][] bodies, int requests, int concurrency, long[] latencies, CancellationToken cancellation)
    {
        var next = -1;
        var failed = 0;
        var fallbacks = 0;
        async Task ClientAsync()
        {
            var buffer = new byte[64 * 1024];
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new ByteArrayContent(bodies[i % bodies.Length]);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    using var response = await client.PostAsync(path, content, cancellation).ConfigureAwait(false);
                    var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
                    var length = 0;
                    int read;
                    while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false)) > 0)
                    {
                        length = Math.Min(length + read, buffer.Length - 1);
                    }

                    latencies[i] = Stopwatch.GetElapsedTime(start).Ticks;
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    else if (buffer.AsSpan(0, length).IndexOf(FallbackMarker) >= 0)
                    {
                        Interlocked.Increment(ref fallbacks);
                    }
                }
                catch (HttpRequestException)
                {
                    latencies[i] = Stopwatch.GetElapsedTime(start).Ticks;
                    Interlocked.Increment(ref failed);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(ClientAsync, cancellation))).ConfigureAwait(false);
        return (failed, fallbacks);
    }
}
