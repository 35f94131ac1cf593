namespace Rerank.Serving;

/// <summary>
/// Watches the plugins folder (recursively) and the pipelines folder (top level) and calls back once per burst of changes,
/// <c>debounce</c> after the last one. Hidden files (editor swap files, atomic-write temp files) are ignored.
/// </summary>
internal sealed class FileWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> watchers = [];
    private readonly Timer timer;
    private readonly TimeSpan debounce;

    public FileWatcher(string? pluginsFolder, string pipelinesFolder, TimeSpan debounce, Action changed)
    {
        this.debounce = debounce;
        timer = new Timer(_ => changed(), null, Timeout.Infinite, Timeout.Infinite);
        if (pluginsFolder is not null && Directory.Exists(pluginsFolder))
        {
            watchers.Add(Create(pluginsFolder, recursive: true));
        }

        watchers.Add(Create(pipelinesFolder, recursive: false));
    }

    public void Dispose()
    {
        foreach (var w in watchers)
        {
            w.Dispose();
        }

        timer.Dispose();
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
        if (Path.GetFileName(e.FullPath).StartsWith('.'))
        {
            return;
        }

        timer.Change(debounce, Timeout.InfiniteTimeSpan);
    }
}
