using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Serving;

namespace Rerank.Benchmarks;

/// <summary>
/// A closed-loop load generator over loopback: C clients, each with its own connection, send pre-serialized synthetic
/// requests back to back; latency is measured per request from send to the last byte of the answer.
/// </summary>
public static class ServeBenchmark
{
    private static readonly byte[] FallbackMarker = "\"fallback\":true"u8.ToArray();

    /// <summary>Sends <paramref name="options"/>' requests to <paramref name="baseAddress"/> from C clients and measures latency percentiles and throughput.</summary>
    public static async Task<ServeBenchResult> RunAsync(Uri baseAddress, FeatureSchema schema, ServeBenchOptions options, CancellationToken cancellation)
    {
        var bodies = Enumerable.Range(0, options.DistinctBodies)
            .Select(i => SyntheticRequests.Body(schema, options.Candidates, options.SlateSize, options.Seed, i))
            .ToArray();
        var path = $"/v1/pipelines/{Uri.EscapeDataString(options.Pipeline)}:rerank";
        await using var clients = options.Client == BenchClient.HttpClient
            ? (IBenchClients)new HttpClientClients(baseAddress, path, bodies, options.Concurrency)
            : await RawClients.CreateAsync(baseAddress, path, bodies, options.Concurrency, cancellation).ConfigureAwait(false);
        await PhaseAsync(clients, options.WarmupRequests, options.Concurrency, new long[options.WarmupRequests], cancellation).ConfigureAwait(false);
        var latencies = new long[options.Requests];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var (failed, fallbacks) = await PhaseAsync(clients, options.Requests, options.Concurrency, latencies, cancellation).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpuPerRequest = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / options.Requests;
        Array.Sort(latencies);
        double Ms(double q) => latencies.Length == 0 ? 0 : TimeSpan.FromTicks(latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)]).TotalMilliseconds;
        return new ServeBenchResult(options.Requests, options.Concurrency, seconds, options.Requests / seconds, Ms(0.50), Ms(0.90), Ms(0.99), Ms(1.0), failed, fallbacks, 0)
        {
            Client = options.Client == BenchClient.HttpClient ? "httpclient" : "raw",
            CpuMicrosecondsPerRequest = cpuPerRequest,
        };
    }

    private static async Task<(int Failed, int Fallbacks)> PhaseAsync(IBenchClients clients, int requests, int concurrency, long[] latencies, CancellationToken cancellation)
    {
        var next = -1;
        var failed = 0;
        var fallbacks = 0;
        async ValueTask ClientAsync(int client)
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var start = Stopwatch.GetTimestamp();
                var (status, fallback) = await clients.SendAsync(client, i, cancellation).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(start).Ticks;
                if (status != (int)HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failed);
                }
                else if (fallback)
                {
                    Interlocked.Increment(ref fallbacks);
                }
            }
        }

        if (clients is RawClients)
        {
            // Blocking clients on their own threads: the cheapest closed loop (no thread-pool hops on the client side).
            var threads = Enumerable.Range(0, concurrency)
                .Select(c => new Thread(() => ClientAsync(c).AsTask().GetAwaiter().GetResult()) { IsBackground = true, Name = $"bench client {c}" })
                .ToArray();
            foreach (var thread in threads)
            {
                thread.Start();
            }

            await Task.Run(() => Array.ForEach(threads, t => t.Join()), cancellation).ConfigureAwait(false);
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(c => Task.Run(() => ClientAsync(c).AsTask(), cancellation))).ConfigureAwait(false);
        }

        return (failed, fallbacks);
    }

    /// <summary>Sends request number <c>i</c> on client <c>c</c>'s connection; answers status 0 for a transport error.</summary>
    private interface IBenchClients : IAsyncDisposable
    {
        ValueTask<(int Status, bool Fallback)> SendAsync(int client, int request, CancellationToken cancellation);
    }

    private sealed class RawClients : IBenchClients
    {
        private readonly RawHttpConnection[] _connections;
        private readonly byte[][] _requests;

        private RawClients(RawHttpConnection[] connections, byte[][] requests)
        {
            _connections = connections;
            _requests = requests;
        }

        public static async Task<RawClients> CreateAsync(Uri baseAddress, string path, byte[][] bodies, int concurrency, CancellationToken cancellation)
        {
            if (baseAddress.Scheme != Uri.UriSchemeHttp)
            {
                throw new InvalidDataException($"--url '{baseAddress}': the raw client speaks plain http only; use --client httpclient for https");
            }

            var address = IPAddress.TryParse(baseAddress.Host.Trim('[', ']'), out var ip)
                ? ip
                : (await Dns.GetHostAddressesAsync(baseAddress.Host, cancellation).ConfigureAwait(false)).First();
            var endPoint = new IPEndPoint(address, baseAddress.Port);
            var requests = bodies.Select(b => RawHttpConnection.EncodePost(baseAddress.Authority, path, b)).ToArray();
            return new RawClients([.. Enumerable.Range(0, concurrency).Select(_ => new RawHttpConnection(endPoint))], requests);
        }

        /// <summary>Completes synchronously: raw clients block their own thread.</summary>
        public ValueTask<(int Status, bool Fallback)> SendAsync(int client, int request, CancellationToken cancellation)
        {
            var connection = _connections[client];
            try
            {
                var status = connection.Send(_requests[request % _requests.Length]);
                return ValueTask.FromResult((status, connection.Body.IndexOf(FallbackMarker) >= 0));
            }
            catch (Exception e) when (e is SocketException or HttpRequestException or IOException)
            {
                return ValueTask.FromResult((0, false));
            }
        }

        public ValueTask DisposeAsync()
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class HttpClientClients : IBenchClients
    {
        private readonly SocketsHttpHandler _handler;
        private readonly HttpClient _client;
        private readonly Uri _path;
        private readonly byte[][] _bodies;
        private readonly byte[][] _buffers;

        public HttpClientClients(Uri baseAddress, string path, byte[][] bodies, int concurrency)
        {
            _handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = concurrency,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
            };
            _client = new HttpClient(_handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            _path = new Uri(path, UriKind.Relative);
            _bodies = bodies;
            _buffers = [.. Enumerable.Range(0, concurrency).Select(_ => new byte[64 * 1024])];
        }

        public async ValueTask<(int Status, bool Fallback)> SendAsync(int clientIndex, int request, CancellationToken cancellation)
        {
            var buffer = _buffers[clientIndex];
            try
            {
                using var content = new ByteArrayContent(_bodies[request % _bodies.Length]);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await _client.PostAsync(_path, content, cancellation).ConfigureAwait(false);
                var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
                var length = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false)) > 0)
                {
                    length = Math.Min(length + read, buffer.Length - 1);
                }

                return ((int)response.StatusCode, buffer.AsSpan(0, length).IndexOf(FallbackMarker) >= 0);
            }
            catch (HttpRequestException)
            {
                return (0, false);
            }
        }

        public ValueTask DisposeAsync()
        {
            _client.Dispose();
            _handler.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
