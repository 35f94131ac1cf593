using System.Collections.Frozen;
using Rerank.Runtime.Plugins;

namespace Rerank.Serving;

/// <summary>
/// One immutable generation of what is served: a plugin catalog, its compiled pipelines with their batchers, and the
/// traffic splits. Requests lease it (<see cref="TryAcquire"/>/<see cref="Release"/>); once retired by a swap and
/// drained, its batchers close and its plugin load contexts unload.
/// </summary>
internal sealed class ServingGraph
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PluginCatalog? _catalog;
    private int _inFlight;
    private int _retired;
    private int _shutDown;

    public ServingGraph(long generation, ServeSettings settings, PluginCatalog catalog, IEnumerable<ServingPipeline> pipelines, IEnumerable<TrafficSplit> splits, IEnumerable<NotReadyPipeline>? notReady = null)
    {
        Generation = generation;
        Settings = settings;
        _catalog = catalog;
        Plugins = catalog.Plugins;
        Pipelines = pipelines.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        Splits = splits.ToFrozenDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        NotReady = [.. notReady ?? []];
        LoadedAt = DateTimeOffset.UtcNow;
    }

    public long Generation { get; }

    public DateTimeOffset LoadedAt { get; }

    public ServeSettings Settings { get; }

    /// <summary>The plugins of the catalog (for status pages).</summary>
    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    public FrozenDictionary<string, ServingPipeline> Pipelines { get; }

    public FrozenDictionary<string, TrafficSplit> Splits { get; }

    /// <summary>Pipelines and splits of the folder that could not be served, with their errors, in file order.</summary>
    public IReadOnlyList<NotReadyPipeline> NotReady { get; }

    /// <summary>The not-ready entry of a pipeline or split name that is not served, or null.</summary>
    public NotReadyPipeline? NotReadyNamed(string name) =>
        Pipelines.ContainsKey(name) || Splits.ContainsKey(name) ? null : NotReady.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Completes once the graph is retired, drained, its batchers finished and its catalog disposed.</summary>
    public Task Drained => _drained.Task;

    /// <summary>Requests currently holding the graph.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Leases the graph for one request; false when it has been retired (take the current one instead).</summary>
    public bool TryAcquire()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _retired) == 0)
        {
            return true;
        }

        Release();
        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _retired) == 1)
        {
            ShutDown();
        }
    }

    /// <summary>Stops new leases; shuts down when the last lease is released (or now, when none is held).</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _inFlight) == 0)
        {
            ShutDown();
        }
    }

    private void ShutDown()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) == 1)
        {
            return;
        }

        foreach (var p in Pipelines.Values)
        {
            p.Batcher.Close();
        }

        Task.WhenAll(Pipelines.Values.Select(p => p.Batcher.Completion)).ContinueWith(
            _ =>
            {
                Interlocked.Exchange(ref _catalog, null)?.Dispose();
                _drained.TrySetResult();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
