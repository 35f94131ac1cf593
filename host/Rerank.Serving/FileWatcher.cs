namespace Rerank.Serving;

/// <summary>
/// Watches the plugins folder (recursively) and the pipelines folder (top level) and calls back once per burst of changes,
/// <c>debounce</c> after the last one. Hidden files and anything in hidden folders (editor swap files, atomic-write temp
/// files, plugins being installed) are ignored, except a rename to <c>..data</c>: how the kubelet updates a mounted
/// ConfigMap (the files are links through <c>..data</c>, which it points at a new hidden folder in one rename).
/// </summary>
internal sealed class FileWatcher : IDisposable
{
    /// <summary>The link a mounted ConfigMap's files point through; the kubelet renames a new one over it on every update.</summary>
    internal const string KubeletDataLink = "..data";

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _timer;
    private readonly TimeSpan _debounce;

    public FileWatcher(string? pluginsFolder, string pipelinesFolder, TimeSpan debounce, Action changed)
    {
        _debounce = debounce;
        _timer = new Timer(_ => changed(), null, Timeout.Infinite, Timeout.Infinite);
        if (pluginsFolder is not null && Directory.Exists(pluginsFolder))
        {
            _watchers.Add(Create(pluginsFolder, recursive: true));
        }

        _watchers.Add(Create(pipelinesFolder, recursive: false));
    }

    public void Dispose()
    {
        foreach (var w in _watchers)
        {
            w.Dispose();
        }

        _timer.Dispose();
    }

    private FileSystemWatcher Create(string folder, bool recursive)
    {
        var w = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = recursive,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        w.Changed += OnEvent;
        w.Created += OnEvent;
        w.Deleted += OnEvent;
        w.Renamed += OnEvent;
        w.EnableRaisingEvents = true;
        return w;
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        // Anything under a hidden folder too: `rerank plugins install` writes into one (.rerank-plugin-…, .install-…) and
        // renames it into place, and only that rename should count.
        var relative = Path.GetRelativePath(((FileSystemWatcher)sender).Path, e.FullPath);
        if (e.ChangeType == WatcherChangeTypes.Renamed && relative == KubeletDataLink)
        {
            _timer.Change(_debounce, Timeout.InfiniteTimeSpan);
            return;
        }

        if (relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part.StartsWith('.') && part is not ("." or "..")))
        {
            return;
        }

        _timer.Change(_debounce, Timeout.InfiniteTimeSpan);
    }
}
