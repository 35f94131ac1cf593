namespace Rerank.Runtime.Plugins.Inspection;

/// <summary>What <see cref="PluginInstaller.Install"/> did.</summary>
/// <param name="Id">The plugin id.</param>
/// <param name="Version">The plugin version.</param>
/// <param name="Folder">The <c>&lt;plugins&gt;/&lt;id&gt;/&lt;version&gt;/</c> folder it now lives in.</param>
/// <param name="Replaced">Whether an installed copy of the same id and version was replaced (<c>--force</c>).</param>
public sealed record InstallResult(string Id, string Version, string Folder, bool Replaced);

/// <summary>
/// Lays a plugin (a .nupkg or a folder) out in a plugins folder as <c>&lt;id&gt;/&lt;version&gt;/</c>: checks that it loads,
/// writes it into a dot-prefixed folder inside the plugins folder (the loader and the server's watcher ignore those) and
/// renames it into place, so a running server never sees a half-written plugin.
/// </summary>
public static class PluginInstaller
{
    /// <summary>
    /// Installs <paramref name="source"/> into <paramref name="pluginsFolder"/> (created when missing). An existing
    /// <c>&lt;id&gt;/&lt;version&gt;/</c> is refused unless <paramref name="force"/>, which moves it aside, renames the new copy in
    /// and then deletes the old one. Nothing is left behind when it fails.
    /// </summary>
    /// <exception cref="InvalidDataException">The plugin does not load or does not fit the host (the first error is named).</exception>
    /// <exception cref="IOException">That id and version are already installed and <paramref name="force"/> is false.</exception>
    public static InstallResult Install(string source, string pluginsFolder, bool force, PluginLoader? loader = null)
    {
        var root = Path.GetFullPath(pluginsFolder);
        Directory.CreateDirectory(root);
        using var plugin = PluginSource.Open(source, temporaryParent: root);
        string id, version;
        using (var inspection = PluginInspector.Inspect(plugin, loader))
        {
            var report = inspection.Report;
            if (report.Checks.FirstOrDefault(c => c.Level == CheckLevel.Error) is { } error)
            {
                throw new InvalidDataException($"'{plugin.Path}' was not installed: {error.Check}: {error.Message}; 'rerank plugins check' shows every check");
            }

            id = report.Id;
            version = report.Version!;
        }

        var target = Path.Combine(root, id, version);
        if (Directory.Exists(target) && !force)
        {
            throw new IOException($"plugin {id} {version} is already installed in '{target}'; pass --force to replace it");
        }

        var staging = plugin.IsPackage ? plugin.Folder : Path.Combine(root, ".install-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (!plugin.IsPackage)
            {
                Copy(plugin.Folder, staging);
            }

            Directory.CreateDirectory(Path.Combine(root, id));
            var replaced = MoveIn(staging, target, force);
            return new InstallResult(id, version, target, replaced);
        }
        finally
        {
            if (!plugin.IsPackage)
            {
                DeleteQuietly(staging);
            }
        }
    }

    /// <summary>Renames <paramref name="staging"/> to <paramref name="target"/>; with force, the old copy goes aside first and comes back if the rename fails.</summary>
    private static bool MoveIn(string staging, string target, bool force)
    {
        if (!force || !Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return false;
        }

        var aside = Path.Combine(Path.GetDirectoryName(target)!, $".replaced-{Path.GetFileName(target)}-{Guid.NewGuid():N}");
        Directory.Move(target, aside);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(aside, target);
            throw;
        }

        DeleteQuietly(aside);
        return true;
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still in use; it is dot-prefixed, so neither the loader nor the watcher looks at it.
        }
    }
}
