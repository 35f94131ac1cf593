using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rerank.Abstractions;
using Rerank.Runtime.Plugins;
using Rerank.Serving.Http;
using Rerank.Serving.Metrics;

namespace Rerank.Serving;

/// <summary>
/// The HTTP server of <c>rerank serve</c> on ASP.NET Core (Kestrel, loopback by default): rerank endpoints, KServe v2
/// health and metadata, Prometheus metrics, and admin endpoints, over a hot-swappable <see cref="ServingRuntime"/>.
/// </summary>
public sealed class RerankServer : IAsyncDisposable
{
    private RerankServer(WebApplication app, ServingRuntime runtime, AdminEndpoints admin)
    {
        App = app;
        Runtime = runtime;
        Admin = admin;
    }

    /// <summary>The ASP.NET Core application.</summary>
    internal WebApplication App { get; }

    /// <summary>The hot-swappable graph of pipelines it serves.</summary>
    internal ServingRuntime Runtime { get; }

    /// <summary>The admin endpoints.</summary>
    internal AdminEndpoints Admin { get; }

    /// <summary>The pipelines folder it serves.</summary>
    public string PipelinesFolder => Runtime.PipelinesFolder;

    /// <summary>How many pipelines the current graph serves (traffic splits not counted).</summary>
    public int PipelineCount => Current.Pipelines.Count;

    /// <summary>The names requests can address in the current graph, its pipelines' and its traffic splits', in ordinal order.</summary>
    public IReadOnlyList<string> Routes => [.. Current.Pipelines.Keys.Concat(Current.Splits.Keys).Order(StringComparer.Ordinal)];

    /// <summary>The pipelines and splits of the pipelines folder that the current graph could not serve, with their errors.</summary>
    public IReadOnlyList<NotReadyPipeline> NotReady => Current.NotReady;

    /// <summary>The feature schema requests follow in the current graph.</summary>
    public FeatureSchema Schema => Current.Settings.Schema;

    /// <summary>Whether the admin endpoints are on (<see cref="ServerOptions.AdminTokenVariable"/> was set).</summary>
    public bool AdminEnabled => Admin.Enabled;

    private ServingGraph Current => Runtime.Current ?? throw new InvalidOperationException("The server has no graph loaded.");

    /// <summary>Builds the server and loads the first graph (throws with every error when it cannot be built).</summary>
    /// <param name="options">Folders, addresses, overrides.</param>
    /// <param name="configure">Extra host configuration (tests: <c>UseTestServer</c>).</param>
    public static RerankServer Create(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "rerank", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configure?.Invoke(builder);
        var app = builder.Build();
        var metrics = new ServingMetrics();
        var pluginsFolder = options.PluginsFolder is null ? null : Path.GetFullPath(options.PluginsFolder);
        var catalog = options.Catalog ?? (() => new PluginLoader().LoadFolder(pluginsFolder ?? throw new DirectoryNotFoundException("no plugins folder given")));
        var graphBuilder = new GraphBuilder(catalog, options.PipelinesFolder, options.Overrides, metrics);
        var runtime = new ServingRuntime(graphBuilder, metrics, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rerank.Serving"), pluginsFolder ?? "(in-process)") { Strict = options.Strict };
        try
        {
            runtime.Load();
        }
        catch
        {
            runtime.Dispose();
            ((IDisposable)app).Dispose();
            throw;
        }

        var token = options.AdminToken ?? Environment.GetEnvironmentVariable(ServerOptions.AdminTokenVariable) ?? TokenFile(Environment.GetEnvironmentVariable(ServerOptions.AdminTokenFileVariable)) ?? runtime.Current?.Settings.AdminToken;
        var admin = new AdminEndpoints(runtime, token);
        Map(app, runtime, admin);
        if (options.Watch)
        {
            runtime.Watch(pluginsFolder, options.Debounce);
        }

        return new RerankServer(app, runtime, admin);
    }

    /// <summary>The token in the file at <paramref name="path"/>, trimmed (a mounted secret often ends in a newline); null when no path, no file or an empty one.</summary>
    internal static string? TokenFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return null;
        }

        var token = File.ReadAllText(path).Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>The addresses Kestrel bound (with the real port when 0 was asked for); empty under a test server.</summary>
    public IReadOnlyList<string> Addresses =>
        App.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>Starts listening.</summary>
    public Task StartAsync(CancellationToken cancellation = default) => App.StartAsync(cancellation);

    /// <summary>Completes when the server is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => App.WaitForShutdownAsync();

    /// <summary>The mean number of requests per batch the dynamic batcher has run for <paramref name="pipeline"/> (0 before its first batch).</summary>
    public double MeanBatchSize(string pipeline)
    {
        var batches = Runtime.Metrics.BatchSize;
        var count = batches.Count(pipeline);
        return count == 0 ? 0 : batches.Sum(pipeline) / count;
    }

    /// <summary>Stops the server, unloads its plugins and disposes the application.</summary>

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        Runtime.Dispose();
        await App.DisposeAsync().ConfigureAwait(false);
    }

    private static void Map(WebApplication app, ServingRuntime runtime, AdminEndpoints admin)
    {
        var rerank = new RerankHandler(runtime);
        app.MapPost("/v1/pipelines/{target}", (HttpContext c, string target) => rerank.HandleAsync(c, target));
        app.MapGet("/v2/health/live", ProtocolEndpoints.LiveAsync);
        app.MapGet("/v2/health/ready", (HttpContext c) => ProtocolEndpoints.ReadyAsync(c, runtime));
        app.MapGet("/v2/models/{name}", (HttpContext c, string name) => ProtocolEndpoints.ModelAsync(c, runtime, name));
        app.MapGet("/v2/models/{name}/ready", (HttpContext c, string name) => ProtocolEndpoints.ModelReadyAsync(c, runtime, name));
        app.MapGet("/metrics", (HttpContext c) => ProtocolEndpoints.MetricsAsync(c, runtime));
        app.MapPost("/admin/reload", admin.ReloadAsync);
        app.MapGet("/admin/plugins", admin.PluginsAsync);
        Dashboard.DashboardEndpoints.Map(app, runtime, admin);
    }
}
