namespace Rerank.Runtime.Plugins.Inspection;

/// <summary>
/// A plugin as the user named it: a laid-out <c>&lt;id&gt;/&lt;version&gt;/</c> folder, a build output with plugin.yaml in it,
/// or a <c>.nupkg</c> extracted to a private temporary folder that <see cref="Dispose"/> deletes.
/// </summary>
public sealed class PluginSource : IDisposable
{
    private readonly string? _temporary;

    private PluginSource(string path, string folder, string? temporary)
    {
        Path = path;
        Folder = folder;
        _temporary = temporary;
    }

    /// <summary>The full path the user passed.</summary>
    public string Path { get; }

    /// <summary>The folder holding plugin.yaml: the one passed, or where the package was extracted.</summary>
    public string Folder { get; }

    /// <summary>Whether <see cref="Path"/> is a package (extracted to a temporary folder).</summary>
    public bool IsPackage => _temporary is not null;

    /// <summary>
    /// Opens <paramref name="path"/>; a package is extracted under <paramref name="temporaryParent"/> (default: the system
    /// temp folder) into a dot-prefixed folder of its own.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">A file that is not a .nupkg, a folder without plugin.yaml, or a bad package.</exception>
    public static PluginSource Open(string path, string? temporaryParent = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            full = System.IO.Path.TrimEndingDirectorySeparator(full);
            return File.Exists(System.IO.Path.Combine(full, PluginManifest.FileName))
                ? new PluginSource(full, full, null)
                : throw new InvalidDataException($"'{full}' has no {PluginManifest.FileName}: pass a laid-out plugin folder (<id>/<version>/), a build output with {PluginManifest.FileName} in it, or a .nupkg");
        }

        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"no plugin folder or package at '{full}'", full);
        }

        if (!full.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"'{full}' is neither a plugin folder nor a .nupkg package");
        }

        var temporary = System.IO.Path.Combine(temporaryParent ?? System.IO.Path.GetTempPath(), ".rerank-plugin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temporary);
        try
        {
            return new PluginSource(full, PluginPackage.Extract(full, temporary), temporary);
        }
        catch
        {
            Delete(temporary);
            throw;
        }
    }

    /// <summary>Deletes the temporary folder of an extracted package (idempotent; a folder passed by the user is never touched).</summary>
    public void Dispose()
    {
        if (_temporary is not null)
        {
            Delete(_temporary);
        }
    }

    private static void Delete(string folder)
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
            // A file still mapped by an unloading plugin context; the OS cleans the temp folder later.
        }
    }
}
