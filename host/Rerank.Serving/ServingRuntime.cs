using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Serving.Json;
using Rerank.Serving.Metrics;

namespace Rerank.Serving;

/// <summary>
/// Owns the serving graph: loads it, leases it to requests, and hot-swaps it. A reload (file change or
/// <c>/admin/reload</c>) builds and warms the next graph aside, swaps it in atomically, and retires the old one, which
/// drains its in-flight requests and then unloads its plugin contexts. A reload that fails keeps the old graph serving and
/// is reported in the log and on <c>/admin/plugins</c>.
/// </summary>
internal sealed partial class ServingRuntime : IDisposable
{
    private const int HistoryLength = 20;
    private readonly GraphBuilder _builder;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly List<ReloadJson> _history = [];
    private ServingGraph? _current;
    private long _generation;
    private FileWatcher? _watcher;
    private int _disposed;

    public ServingRuntime(GraphBuilder builder, ServingMetrics metrics, ILogger logger, string pluginsFolder)
    {
        _builder = builder;
        _logger = logger;
        Metrics = metrics;
        PluginsFolder = pluginsFolder;
    }

    public ServingMetrics Metrics { get; }

    /// <summary>The plugins folder (or a description of an in-process catalog).</summary>
    public string PluginsFolder { get; }

    public string PipelinesFolder => _builder.PipelinesFolder;

    /// <summary>The graph serving now (null before the first load).</summary>
    public ServingGraph? Current => Volatile.Read(ref _current);

    /// <summary>Every reload attempt, newest last (at most 20).</summary>
    public IReadOnlyList<ReloadJson> History
    {
        get
        {
            lock (_history)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>
    /// Loads the first graph. Pipelines that fail are left out as not ready (logged, and retried on every reload); this
    /// throws, with every error, only when nothing can serve: a failure outside any pipeline, no pipeline ready while some
    /// failed, or, with <c>--strict</c>, any failure at all.
    /// </summary>
    public void Load()
    {
        var start = Stopwatch.GetTimestamp();
        var graph = _builder.Build(1);
        if (graph.NotReady.Count > 0 && (Strict || graph.Pipelines.Count == 0))
        {
            graph.Retire();
            var why = Strict ? "--strict: every pipeline must load" : "no pipeline could be loaded";
            throw new ConfigException([.. graph.NotReady.SelectMany(Errors), new ConfigError(new SourceLocation(_builder.PipelinesFolder, 0, 0), why)]);
        }

        _generation = 1;
        Volatile.Write(ref _current, graph);
        Record(new ReloadJson(DateTimeOffset.UtcNow, "startup", true, 1, null, Stopwatch.GetElapsedTime(start).TotalMilliseconds, NotReadyLines(graph)));
        LogLoaded(_logger, 1, graph.Pipelines.Count, string.Join(", ", graph.Pipelines.Keys.Order(StringComparer.Ordinal)), graph.Splits.Count);
        LogNotReady(graph);
    }

    /// <summary>With <c>--strict</c>, every pipeline must load, at startup and on every reload.</summary>
    public bool Strict { get; init; }

    /// <summary>Leases the current graph for one request (release it with <see cref="ServingGraph.Release"/>); null when none is loaded.</summary>
    public ServingGraph? Acquire()
    {
        while (true)
        {
            var graph = Volatile.Read(ref _current);
            if (graph is null || graph.TryAcquire())
            {
                return graph;
            }
        }
    }

    /// <summary>Builds, warms and swaps in a new graph; on failure the old one keeps serving and the error is returned.</summary>
    public async Task<ReloadJson> ReloadAsync(string trigger)
    {
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return new ReloadJson(DateTimeOffset.UtcNow, trigger, false, _generation, "the server is shutting down", 0);
            }

            var start = Stopwatch.GetTimestamp();
            var next = _generation + 1;
            ServingGraph graph;
            try
            {
                graph = await Task.Run(() => _builder.Build(next)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Whatever went wrong, the reload is reported the same way and the old graph keeps serving.
                return Refuse(trigger, start, Describe(e));
            }

            if (Regressions(graph) is { Count: > 0 } regressions)
            {
                graph.Retire();
                return Refuse(trigger, start, string.Join(" | ", regressions));
            }

            if (Volatile.Read(ref _disposed) == 1)
            {
                graph.Retire();
                return new ReloadJson(DateTimeOffset.UtcNow, trigger, false, _generation, "the server is shutting down", 0);
            }

            _generation = next;
            var old = Interlocked.Exchange(ref _current, graph);
            old?.Retire();
            if (Volatile.Read(ref _disposed) == 1)
            {
                // Disposed while swapping: whichever of us exchanged last retires what is current.
                Interlocked.Exchange(ref _current, null)?.Retire();
            }

            var ok = new ReloadJson(DateTimeOffset.UtcNow, trigger, true, next, null, Stopwatch.GetElapsedTime(start).TotalMilliseconds, NotReadyLines(graph));
            Record(ok);
            Metrics.Reloads.Increment("ok");
            LogReloaded(_logger, trigger, next, graph.Pipelines.Count, ok.Ms);
            LogNotReady(graph);
            return ok;
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Reloads (debounced) when files under the plugins or pipelines folder change.</summary>
    public void Watch(string? pluginsFolder, TimeSpan debounce)
    {
        _watcher?.Dispose();
        _watcher = new FileWatcher(pluginsFolder, PipelinesFolder, debounce, () => _ = ReloadAsync("file change"));
    }

    /// <summary>Stops watching and retires the serving graph (a reload in progress retires what it built). The reload gate is never disposed, so a late reload cannot fault.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _watcher?.Dispose();
        Interlocked.Exchange(ref _current, null)?.Retire();
    }

    /// <summary>
    /// What a new graph would lose: pipelines (by file) that fail now and did not fail in the graph serving now — a ready
    /// pipeline that broke, or a new file that does not load. With <c>--strict</c>, every failure. Pipelines that were
    /// not ready before and still fail do not block a reload, so the others can be swapped in.
    /// </summary>
    private List<string> Regressions(ServingGraph graph)
    {
        var failing = Current?.NotReady.Select(n => n.File).ToHashSet(StringComparer.Ordinal) ?? [];
        return [.. graph.NotReady
            .Where(n => Strict || !failing.Contains(n.File))
            .Select(n => $"{n.File}: pipeline '{n.Name}' would not be ready: {n.Error.ReplaceLineEndings(" | ")}")];
    }

    private ReloadJson Refuse(string trigger, long start, string message)
    {
        var failed = new ReloadJson(DateTimeOffset.UtcNow, trigger, false, _generation, message, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        Record(failed);
        Metrics.Reloads.Increment("failed");
        LogReloadFailed(_logger, trigger, _generation, message);
        return failed;
    }

    private static string Describe(Exception e)
    {
        var message = e is ConfigException or ServingException or IOException or UnauthorizedAccessException
            ? e.Message
            : $"unexpected {e.GetType().Name}: {e.Message}";
        return message.ReplaceLineEndings(" | ");
    }

    private static IEnumerable<ConfigError> Errors(NotReadyPipeline n) =>
        n.Errors.Select(e => e with { Message = $"pipeline '{n.Name}' is not ready: {e.Message}" });

    private static IReadOnlyList<string>? NotReadyLines(ServingGraph graph) =>
        graph.NotReady.Count == 0 ? null : [.. graph.NotReady.Select(n => $"{n.Name} ({n.File}): {n.Error.ReplaceLineEndings(" | ")}")];

    private void LogNotReady(ServingGraph graph)
    {
        foreach (var n in graph.NotReady)
        {
            LogPipelineNotReady(_logger, n.Name, n.File, n.Error.ReplaceLineEndings(" | "));
        }
    }

    private void Record(ReloadJson entry)
    {
        lock (_history)
        {
            _history.Add(entry);
            if (_history.Count > HistoryLength)
            {
                _history.RemoveAt(0);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving graph {Generation}: {Count} pipeline(s) [{Pipelines}], {Splits} split(s)")]
    private static partial void LogLoaded(ILogger logger, long generation, int count, string pipelines, int splits);

    [LoggerMessage(Level = LogLevel.Information, Message = "reload ({Trigger}): serving graph {Generation} with {Count} pipeline(s), built and warmed in {Ms:F0} ms")]
    private static partial void LogReloaded(ILogger logger, string trigger, long generation, int count, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pipeline '{Name}' ({File}) is not ready; it is retried on every reload: {Error}")]
    private static partial void LogPipelineNotReady(ILogger logger, string name, string file, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "reload ({Trigger}) failed; graph {Generation} keeps serving: {Error}")]
    private static partial void LogReloadFailed(ILogger logger, string trigger, long generation, string error);
}
